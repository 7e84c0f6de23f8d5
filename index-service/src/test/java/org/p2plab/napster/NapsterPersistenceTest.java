package org.p2plab.napster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Users, registrations and statistics outlive a restart of the index (H2 on disk); shares do not:
 * they are live state that comes back when the peers log in again. The password is stored as a
 * bcrypt hash.
 */
class NapsterPersistenceTest {

    private final LocalNapsterNodes nodes = new LocalNapsterNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void usersAndCountersSurviveARestartSharesDoNot(@TempDir Path dir) throws Exception {
        String db = "spring.datasource.url=jdbc:h2:file:" + dir.resolve("napster") + ";DB_CLOSE_ON_EXIT=FALSE";
        ConfigurableApplicationContext first = nodes.index(db);
        String idx = LocalNapsterNodes.url(first);
        nodes.json("POST", idx + "/users", "{\"nick\":\"carol\",\"password\":\"s3cret\",\"email\":\"carol@example.org\",\"linkSpeed\":8}");
        String token = nodes.json("POST", idx + "/sessions", "{\"nick\":\"carol\",\"password\":\"s3cret\",\"dataPort\":6699}")
                .get("token").asString();
        nodes.json("POST", idx + "/users/carol/shares", "{\"path\":\"C:\\\\mp3\\\\kept.mp3\",\"size\":1}", "Authorization", "Bearer " + token);
        assertThat(nodes.json(idx + "/search?q=kept").get("count").asInt()).isEqualTo(1);
        nodes.stop(first); // saves the counters

        ConfigurableApplicationContext second = nodes.index(db);
        String idx2 = LocalNapsterNodes.url(second);
        JsonNode carol = nodes.json(idx2 + "/users/carol");
        assertThat(carol.get("online").asBoolean()).isFalse();
        assertThat(carol.get("linkSpeed").asInt()).isEqualTo(8);
        assertThat(carol.get("lastSeen").isString()).isTrue();
        JsonNode stats = nodes.json(idx2 + "/stats");
        assertThat(stats.get("registered").asLong()).isEqualTo(1);
        assertThat(stats.get("logins").asLong()).isEqualTo(1);
        assertThat(stats.get("searches").asLong()).isEqualTo(1);
        assertThat(stats.get("files").asLong()).as("shares are live state").isZero();
        var wrong = nodes.sendWith("POST", idx2 + "/sessions", "{\"nick\":\"carol\",\"password\":\"guess\"}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        assertThat(wrong.statusCode()).as("the registration, with its password, is still there").isEqualTo(401);
        assertThat(nodes.json("POST", idx2 + "/sessions", "{\"nick\":\"carol\",\"password\":\"s3cret\"}").get("email").asString())
                .isEqualTo("carol@example.org");
        nodes.stop(second);

        // the password is a bcrypt hash in the database, never the password
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("napster"), "sa", "");
             var rs = c.createStatement().executeQuery("select password_hash from napster_user where nick_key = 'carol'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("$2a$04$").doesNotContain("s3cret");
        }
    }
}
