package org.p2plab.napster.protocol;

/** A password hash (bcrypt in the service). */
public interface PasswordHasher {

    String hash(String password);

    boolean matches(String password, String hash);
}
