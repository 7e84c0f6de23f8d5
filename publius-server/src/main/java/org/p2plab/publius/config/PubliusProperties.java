package org.p2plab.publius.config;

import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code p2plab.publius.*}: which roles this instance runs, the static server list, and the limits.
 *
 * @param role              {@code server} (stores pieces under /peer/publius), {@code client}
 *                          (the publish/retrieve user API), or both (the default)
 * @param servers           the static list of the m server URLs, location 1 first; every client of
 *                          a Publius system must list the same servers in the same order. Empty:
 *                          this instance alone (m = 1, enough to try the API but not to publish)
 * @param advertisedAddress this server's URL in that list when the list is empty; empty: http://127.0.0.1:{port}
 * @param dataDir           where the server keeps its name directories; empty: data/publius-{port}
 * @param maxDocumentSize   largest document M published or stored (413 above)
 * @param maxStoredSize     total bytes a server stores before refusing with 507 (the disk-filling threat)
 * @param defaultN          n when a publish does not say: min(defaultN, m)
 * @param defaultK          k when a publish does not say: min(defaultK, n)
 * @param maxUpdateHops     update files a retrieval follows at most
 * @param maxKeyAttempts    k-subsets of shares a retrieval tries at most before reporting tampering
 */
@ConfigurationProperties("p2plab.publius")
public record PubliusProperties(
        @DefaultValue({"server", "client"}) Set<Role> role,
        @DefaultValue({}) List<String> servers,
        String advertisedAddress,
        String dataDir,
        @DefaultValue("16MB") DataSize maxDocumentSize,
        @DefaultValue("1GB") DataSize maxStoredSize,
        @DefaultValue("10") int defaultN,
        @DefaultValue("3") int defaultK,
        @DefaultValue("8") int maxUpdateHops,
        @DefaultValue("2000") int maxKeyAttempts) {

    /** The roles of one instance. */
    public enum Role {
        SERVER, CLIENT
    }

    public PubliusProperties {
        if (role == null || role.isEmpty()) {
            throw new IllegalArgumentException("p2plab.publius.role needs at least one of server, client");
        }
        servers = servers == null ? List.of() : servers.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (defaultN < 2 || defaultK < 2 || defaultK > defaultN) {
            throw new IllegalArgumentException("p2plab.publius.default-n and default-k need 2 <= k <= n, got n = "
                    + defaultN + ", k = " + defaultK);
        }
    }

    public boolean server() {
        return role.contains(Role.SERVER);
    }

    public boolean client() {
        return role.contains(Role.CLIENT);
    }
}
