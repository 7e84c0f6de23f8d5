package org.p2plab.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Speaks HTTP/1.1 over a plain socket, so requests reach Tomcat exactly as written. */
final class RawHttp {

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, without the blank line) and an optional body. */
    static Response send(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(10_000); // a bound on a broken server, not a wait
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream());
        }
    }

    static Response get(int port, String rawPath) throws IOException {
        return send(port, "GET " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\nConnection: close", null);
    }

    /**
     * Reads one response: the head, then exactly Content-Length bytes, or chunks up to the last one,
     * or (neither) up to the end of the stream. Does not wait for the server to close the connection.
     */
    private static Response parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int headEnd = -1;
        while (headEnd < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response head: " + all);
            }
            all.write(b);
            byte[] bytes = all.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                headEnd = n;
            }
        }
        String head = all.toString(StandardCharsets.ISO_8859_1).trim();
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String body;
        if (headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(headers.get("content-length"))), StandardCharsets.UTF_8);
        }
        else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (!raw.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")
                    && !raw.toString(StandardCharsets.ISO_8859_1).equals("0\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                raw.write(b);
            }
            body = dechunk(raw.toString(StandardCharsets.UTF_8));
        }
        else {
            body = readToEnd(in);
        }
        return new Response(status, headers, body);
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        }
        catch (java.net.SocketException reset) {
            // the server may reset after answering; keep what arrived
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (pos < chunked.length()) {
            int eol = chunked.indexOf("\r\n", pos);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(pos, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            pos = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
