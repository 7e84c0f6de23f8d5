package org.p2plab.support.net;

import java.io.IOException;
import java.net.Socket;

import jdk.net.ExtendedSocketOptions;

/** Socket settings the TCP services share. */
public final class Sockets {

    private Sockets() {
    }

    /**
     * TCP keep-alive after 60 s of silence, then 3 probes 10 s apart: a peer that vanished
     * without closing (power cut, cable pulled) is found within about 90 s.
     */
    public static void keepAlive(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        try {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 60);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 10);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        }
        catch (UnsupportedOperationException e) {
            // the platform's defaults, then
        }
    }
}
