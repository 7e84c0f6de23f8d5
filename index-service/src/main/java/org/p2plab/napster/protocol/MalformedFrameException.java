package org.p2plab.napster.protocol;

/** A frame whose fields cannot be parsed: the connection answers an error and goes on. */
public class MalformedFrameException extends RuntimeException {

    public MalformedFrameException(String message) {
        super(message, null, false, false);
    }
}
