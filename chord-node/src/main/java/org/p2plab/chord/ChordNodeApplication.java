package org.p2plab.chord;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A Chord DHT node: user API under /dht, /lookup and /ring; peer API under /peer. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ChordNodeApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChordNodeApplication.class, args);
    }
}
