package org.p2plab.gnutella.protocol;

/** A message or handshake that does not parse: the connection drops it, or closes. */
public class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message, null, false, false);
    }
}
