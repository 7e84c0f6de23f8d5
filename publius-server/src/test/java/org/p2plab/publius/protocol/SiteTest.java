package org.p2plab.publius.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteTest {

    @TempDir
    Path dir;

    @Test
    void relativeLinksAreRewrittenAndOthersKept() {
        String html = "<a href=\"a.html#top\">a</a> <img src='img/logo.png'> <a href=\"../up.html\">x</a>"
                + " <a href=\"https://example.org/a.html\">ext</a> <a href=\"/b/c.html?q=1\">c</a>"
                + " <style>body { background: url(img/logo.png) }</style>";
        String out = Site.rewriteLinks(html, "index.html", p -> switch (p) {
            case "a.html" -> "publius://A";
            case "img/logo.png" -> "publius://L";
            case "b/c.html" -> "publius://C";
            default -> null;
        });
        assertThat(out).contains("href=\"publius://A#top\"", "src='publius://L'", "href=\"../up.html\"",
                "href=\"https://example.org/a.html\"", "href=\"publius://C\"", "url(publius://L)");
        assertThat(Site.rewriteLinks("<a href=\"../index.html\">", "docs/a.html", p -> p.equals("index.html") ? "publius://I" : null))
                .isEqualTo("<a href=\"publius://I\">");
    }

    @Test
    void theProxyTurnsPubliusLinksIntoRetrieveLinks() {
        String out = Site.proxyLinks("<a href=\"publius://1/k2n2/text%2Fhtml/00000000000000ff.00000000000000fe#s\">x</a>", "retrieve");
        assertThat(out).isEqualTo("<a href=\"retrieve?url=publius%3A%2F%2F1%2Fk2n2%2Ftext%252Fhtml%2F00000000000000ff.00000000000000fe#s\">x</a>");
    }

    @Test
    void filesThatLinkToEachOtherLeadToEachOther() {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            InProcessServers servers = new InProcessServers(dir, 5, 1 << 20, 1 << 24);
            PubliusClient client = new PubliusClient(servers.urls(), servers, PubliusParams.defaults(), new SecureRandom(), executor);
            Site.Published site = Site.publish(client, List.of(
                    new Site.File("index.html", "<a href=\"docs/c.html\">C</a>".getBytes(StandardCharsets.UTF_8), "text/html"),
                    new Site.File("docs/c.html", "<a href=\"d.html\">D</a> <a href=\"../index.html\">home</a>".getBytes(StandardCharsets.UTF_8), "text/html"),
                    new Site.File("docs/d.html", "<a href=\"c.html\">C</a>".getBytes(StandardCharsets.UTF_8), "text/html"),
                    new Site.File("data.bin", new byte[] {1, 2, 3}, "application/octet-stream")), 5, 2, null);
            assertThat(site.files()).extracting(Site.Entry::linksRewritten).containsExactly(1, 2, 1, 0);
            PubliusUrl index = site.index().orElseThrow().url();
            PubliusUrl c = site.files().get(1).url();
            PubliusUrl d = site.files().get(2).url();

            // C and D link to each other: follow the links through their original URLs
            String cPage = new String(client.retrieve(c).content(), StandardCharsets.UTF_8);
            assertThat(cPage).isEqualTo("<a href=\"" + d + "\">D</a> <a href=\"" + index + "\">home</a>");
            String dPage = new String(client.retrieve(d).content(), StandardCharsets.UTF_8);
            assertThat(dPage).isEqualTo("<a href=\"" + c + "\">C</a>");
            assertThat(new String(client.retrieve(index).content(), StandardCharsets.UTF_8)).isEqualTo("<a href=\"" + c + "\">C</a>");
            assertThat(client.retrieve(site.files().get(3).url()).content()).containsExactly(1, 2, 3);
            // one password for the whole directory
            assertThat(client.delete(site.files().get(3).url(), site.password()).done()).isEqualTo(5);
        }
    }
}
