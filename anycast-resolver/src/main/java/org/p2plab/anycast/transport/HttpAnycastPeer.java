package org.p2plab.anycast.transport;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.AnycastGroup;
import org.p2plab.anycast.protocol.AnycastPeer;
import org.p2plab.anycast.transport.PeerDtos.MemberDto;
import org.p2plab.anycast.transport.PeerDtos.MetricsDto;
import org.p2plab.anycast.transport.PeerDtos.ProbeFile;
import org.p2plab.anycast.transport.PeerDtos.PushRequest;
import org.p2plab.anycast.transport.PeerDtos.RegisterRequest;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.support.http.PeerClient;
import org.p2plab.support.http.PeerRejectedException;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.web.client.RestClient;

/** {@link AnycastPeer} over HTTP: probes fetch /probe, the rest goes to the resolvers' /peer API. */
public class HttpAnycastPeer implements AnycastPeer {

    public static final String SYSTEM = "anycast";
    /** The problem kinds the resolver answers with and this side reads back. */
    public static final String UNKNOWN_MEMBER = "unknown-member";
    public static final String UNKNOWN_GROUP = "unknown-group";

    private final PeerClient peers;

    public HttpAnycastPeer(RestClient client, P2pMetrics metrics) {
        this.peers = new PeerClient(client, metrics, SYSTEM);
    }

    @Override
    public Probe probe(String serverUrl) {
        long start = System.nanoTime();
        ProbeFile file;
        try {
            file = peers.get(serverUrl, "probe", "/probe", ProbeFile.class);
        }
        catch (PeerRejectedException e) {
            throw new PeerUnavailableException(serverUrl, "no probe file: " + e.getMessage(), e);
        }
        double rt = (System.nanoTime() - start) / 1e6;
        if (file == null || !(file.tufrMillis() >= 0) || Double.isInfinite(file.tufrMillis())) {
            throw new PeerUnavailableException(serverUrl, "the probe file holds no TUFR");
        }
        return new Probe(rt, file.tufrMillis());
    }

    @Override
    public boolean push(String resolver, Adn group, String serverUrl, double tufrMillis) {
        try {
            peers.post(resolver, "push", "/peer/push", new PushRequest(group.toString(), serverUrl, tufrMillis), Void.class);
            return true;
        }
        catch (PeerRejectedException e) {
            if (e.status().value() == 404) {
                return false;
            }
            throw new RefusedException(e.detail());
        }
    }

    @Override
    public AnycastGroup.Member register(String resolver, Adn group, String serverUrl, double cost) {
        try {
            MemberDto m = peers.post(resolver, "register", "/peer/register", new RegisterRequest(group.toString(), serverUrl, cost),
                    MemberDto.class);
            if (m == null || m.id() == null) {
                throw new PeerUnavailableException(resolver, "the registration's answer holds no member");
            }
            return m.toMember();
        }
        catch (PeerRejectedException e) {
            throw new RefusedException(e.detail());
        }
    }

    @Override
    public Optional<List<AnycastGroup.Metrics>> group(String resolver, Adn group) {
        try {
            MetricsDto[] metrics = peers.call(resolver, "group", c -> c.get().uri(resolver + "/peer/groups/{adn}", group.toString())
                    .retrieve().body(MetricsDto[].class));
            if (metrics == null) {
                throw new PeerUnavailableException(resolver, "an empty answer for the group " + group);
            }
            return Optional.of(Arrays.stream(metrics).map(MetricsDto::toMetrics).toList());
        }
        catch (PeerRejectedException e) {
            if (e.status().value() == 404) {
                return Optional.empty();
            }
            throw new PeerUnavailableException(resolver, "the authority refused: " + e.detail(), e);
        }
    }
}
