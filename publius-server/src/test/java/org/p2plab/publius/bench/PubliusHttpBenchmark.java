package org.p2plab.publius.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.p2plab.publius.protocol.PubliusCrypto;
import org.p2plab.publius.protocol.Share;

/**
 * Publius against plain HTTP on the same servers (not a test; scripts/bench-publius.sh starts the
 * servers and runs it). For each document size: publish (n = 10, k = 3) and retrieve through
 * the client API, against the same bytes sent as plain PUTs (one copy, and n copies in parallel,
 * which is what a publish stores) and fetched with one plain GET from the servers' piece store.
 * Prints markdown rows: median and mean milliseconds, and the ratios.
 * <p>
 * Arguments: clientUrl serverUrl... ; system properties {@code sizes} (bytes, comma-separated),
 * {@code runs} (per size, default 20), {@code warmup} (default 5).
 */
public final class PubliusHttpBenchmark {

    private static final Pattern URL = Pattern.compile("\"url\":\"(publius://[^\"]+)\"");
    private static final Pattern PASSWORD = Pattern.compile("\"password\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final String client;
    private final List<String> servers;

    private PubliusHttpBenchmark(String client, List<String> servers) {
        this.client = client;
        this.servers = servers;
    }

    public static void main(String[] args) throws Exception {
        PubliusHttpBenchmark b = new PubliusHttpBenchmark(args[0], List.of(Arrays.copyOfRange(args, 1, args.length)));
        int runs = Integer.getInteger("runs", 20);
        int warmup = Integer.getInteger("warmup", 5);
        System.out.println("| size | publish n=10 k=3 | plain PUT, 1 copy | plain PUT, 10 copies | publish / PUT x10 "
                + "| retrieve | plain GET | retrieve / GET |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String s : System.getProperty("sizes", "1024,1048576,10485760").split(",")) {
            int size = Integer.parseInt(s.strip());
            b.run(size, warmup, false);
            b.report(size, b.run(size, runs, true));
        }
        b.executor.shutdownNow();
    }

    private record Times(double[] publish, double[] put1, double[] put10, double[] retrieve, double[] get) {
    }

    private Times run(int size, int runs, boolean measure) throws Exception {
        double[] publish = new double[runs];
        double[] put1 = new double[runs];
        double[] put10 = new double[runs];
        double[] retrieve = new double[runs];
        double[] get = new double[runs];
        for (int r = 0; r < runs; r++) {
            byte[] doc = new byte[size];
            random.nextBytes(doc);
            // Publius
            long t0 = System.nanoTime();
            HttpResponse<String> published = send(HttpRequest.newBuilder(URI.create(client + "/publish?n=10&k=3"))
                    .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(doc)));
            publish[r] = ms(t0);
            check(published, 201);
            String url = find(URL, published.body());
            String password = find(PASSWORD, published.body());
            t0 = System.nanoTime();
            HttpResponse<byte[]> got = http.send(HttpRequest.newBuilder(URI.create(client + "/retrieve?url="
                    + URLEncoder.encode(url, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            retrieve[r] = ms(t0);
            if (got.statusCode() != 200 || !Arrays.equals(got.body(), doc)) {
                throw new IllegalStateException("retrieve failed: " + got.statusCode());
            }
            send(HttpRequest.newBuilder(URI.create(client + "/delete")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\",\"password\":\"" + password + "\"}")));

            // the same bytes as plain HTTP to the same servers (their piece store: PUT stores, GET serves)
            String hash = PubliusCrypto.passwordHash("bench", "bench");
            String share = new Share(1, new byte[32]).encode();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < servers.size(); i++) {
                names.add(String.format("%016x", random.nextLong()));
            }
            t0 = System.nanoTime();
            check(put(servers.getFirst(), names.getFirst(), doc, share, hash), 201);
            put1[r] = ms(t0);
            t0 = System.nanoTime();
            HttpResponse<byte[]> plain = http.send(HttpRequest.newBuilder(URI.create(servers.getFirst() + "/peer/publius/"
                    + names.getFirst() + "/file")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            get[r] = ms(t0);
            if (plain.statusCode() != 200 || plain.body().length != size) {
                throw new IllegalStateException("plain GET failed: " + plain.statusCode());
            }
            t0 = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> puts = new ArrayList<>();
            for (int i = 1; i < servers.size() + 1; i++) {
                String server = servers.get(i % servers.size());
                String name = i < servers.size() ? names.get(i) : String.format("%016x", random.nextLong());
                names.add(name);
                puts.add(CompletableFuture.supplyAsync(() -> put(server, name, doc, share, hash), executor));
            }
            for (CompletableFuture<HttpResponse<String>> p : puts) {
                check(p.join(), 201);
            }
            put10[r] = ms(t0);
            // names[i] went to server i mod m
            for (int i = 0; i < names.size(); i++) {
                String server = servers.get(i % servers.size());
                send(HttpRequest.newBuilder(URI.create(server + "/peer/publius/" + names.get(i)))
                        .header("Publius-Password-Hash", hash).DELETE());
            }
        }
        return measure ? new Times(publish, put1, put10, retrieve, get) : null;
    }

    private HttpResponse<String> put(String server, String name, byte[] doc, String share, String hash) {
        return send(HttpRequest.newBuilder(URI.create(server + "/peer/publius/" + name))
                .header("Content-Type", "application/octet-stream").header("Publius-Share", share)
                .header("Publius-Password-Hash", hash).PUT(HttpRequest.BodyPublishers.ofByteArray(doc)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ", got " + r.statusCode() + ": " + r.body());
        }
    }

    private static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + p + " in " + body);
        }
        return m.group(1);
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private void report(int size, Times t) {
        System.out.printf("| %s | %s | %s | %s | %.1f× | %s | %s | %.1f× |%n", size(size), stat(t.publish()), stat(t.put1()),
                stat(t.put10()), median(t.publish()) / median(t.put10()), stat(t.retrieve()), stat(t.get()),
                median(t.retrieve()) / median(t.get()));
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1 << 10 ? (bytes >> 10) + " KiB" : bytes + " B";
    }

    private static String stat(double[] v) {
        return String.format("%.1f ms (mean %.1f)", median(v), Arrays.stream(v).average().orElse(0));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
