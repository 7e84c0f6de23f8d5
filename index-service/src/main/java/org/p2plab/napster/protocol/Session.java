package org.p2plab.napster.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One logged-in user: how to reach them (address, data port, link), what they share, whom they
 * watch. Created by {@link IndexServer#login}; ends with {@link IndexServer#logout}, which takes
 * the shares out of the index at once.
 */
public final class Session {

    /** How the user reached the index. */
    public enum Transport {
        TCP, REST
    }

    record Share(int id, SharedFile file) {
    }

    private final String nick;
    private final Transport transport;
    private final String ip;
    private final String token;
    private final Instant since;
    private final SessionLink link;
    private final String level;
    private final Map<String, Share> shares = new LinkedHashMap<>();
    final Set<String> hotlist = ConcurrentHashMap.newKeySet();
    final AtomicInteger downloading = new AtomicInteger();
    final AtomicInteger uploading = new AtomicInteger();
    final AtomicInteger downloadsStarted = new AtomicInteger();
    final AtomicInteger uploadsStarted = new AtomicInteger();
    private volatile int dataPort;
    private volatile int linkSpeed;
    private volatile String clientInfo;
    private volatile String email;
    private volatile long lastActive;
    private boolean closed;

    Session(String nick, Transport transport, String ip, String token, Instant since, SessionLink link, String level,
            int dataPort, int linkSpeed, String clientInfo, String email) {
        this.nick = nick;
        this.transport = transport;
        this.ip = ip;
        this.token = token;
        this.since = since;
        this.link = link;
        this.level = level;
        this.dataPort = dataPort;
        this.linkSpeed = linkSpeed;
        this.clientInfo = clientInfo;
        this.email = email;
        this.lastActive = since.toEpochMilli();
    }

    public String nick() {
        return nick;
    }

    public Transport transport() {
        return transport;
    }

    /** The user's IPv4 address, dotted. */
    public String ip() {
        return ip;
    }

    /** REST: the bearer token; TCP: null. */
    public String token() {
        return token;
    }

    public Instant since() {
        return since;
    }

    public SessionLink link() {
        return link;
    }

    public String level() {
        return level;
    }

    /** 0: firewalled (downloads from this user are pushes). */
    public int dataPort() {
        return dataPort;
    }

    void dataPort(int port) {
        dataPort = port;
    }

    public int linkSpeed() {
        return linkSpeed;
    }

    void linkSpeed(int speed) {
        linkSpeed = speed;
    }

    public String clientInfo() {
        return clientInfo;
    }

    public String email() {
        return email;
    }

    void email(String e) {
        email = e;
    }

    public int downloading() {
        return downloading.get();
    }

    public int uploading() {
        return uploading.get();
    }

    long lastActive() {
        return lastActive;
    }

    void touch(long millis) {
        lastActive = millis;
    }

    public synchronized boolean closed() {
        return closed;
    }

    /** Marks the session closed; true the first time. */
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /** The shared files, in the order shared. */
    public synchronized List<SharedFile> shared() {
        List<SharedFile> out = new ArrayList<>(shares.size());
        for (Share s : shares.values()) {
            out.add(s.file());
        }
        return out;
    }

    public synchronized int sharedCount() {
        return shares.size();
    }

    /** The shared file with exactly this path, or null. */
    public synchronized SharedFile shared(String path) {
        Share s = shares.get(path);
        return s == null ? null : s.file();
    }

    Map<String, Share> sharesLocked() {
        return shares;
    }
}
