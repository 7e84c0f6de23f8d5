package org.p2plab.gateway.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.p2plab.gateway.lab.LabScript;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The structure of every Grafana dashboard in {@code helm/p2plab/dashboards}: the one source the
 * lab, the chart and a hand-run Grafana all load. That the queries return data is checked
 * against a real Prometheus elsewhere; here: what Grafana needs to load them and what keeps them
 * portable (a datasource variable everywhere, no hard-coded intervals, current panel types).
 */
class DashboardJsonTest {

    static final Path DASHBOARDS = LabScript.REPO.resolve("helm/p2plab/dashboards");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PANEL_TYPES = Set.of("row", "timeseries", "stat", "heatmap", "bargauge", "gauge", "table");
    private static final String DATASOURCE_UID = "${datasource}";
    private static final Pattern RANGE = Pattern.compile("\\[([^\\]]*)]");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)");

    @Test
    void theOverviewAndTheChordDashboardExist() {
        assertThat(dashboards()).extracting(d -> d.get("uid").asText())
                .contains("p2plab-overview", "p2plab-chord", "p2plab-can", "p2plab-publius", "p2plab-anycast", "p2plab-overcast",
                        "p2plab-napster", "p2plab-gnutella");
    }

    @Test
    void uidsAndTitlesAreStableAndUnique() {
        Set<String> uids = new HashSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode d : dashboards()) {
            String uid = d.path("uid").asText();
            assertThat(uid).as("uid").matches("p2plab-[a-z0-9-]+").hasSizeLessThanOrEqualTo(40);
            assertThat(uids.add(uid)).as("uid %s is unique", uid).isTrue();
            assertThat(titles.add(d.path("title").asText())).as("title of %s is unique", uid).isTrue();
            assertThat(d.path("schemaVersion").asInt()).as("%s schemaVersion", uid).isGreaterThanOrEqualTo(36);
            assertThat(d.has("id")).as("%s carries no instance-specific id", uid).isFalse();
        }
    }

    @Test
    void aDatasourceVariableAndEveryUsedVariableDefined() {
        for (JsonNode d : dashboards()) {
            String uid = d.get("uid").asText();
            Set<String> defined = new HashSet<>();
            for (JsonNode v : d.path("templating").path("list")) {
                defined.add(v.path("name").asText());
                if (v.path("type").asText().equals("query")) {
                    assertThat(v.path("datasource").path("uid").asText()).as("%s variable %s datasource", uid, v.path("name"))
                            .isEqualTo(DATASOURCE_UID);
                }
            }
            JsonNode datasource = first(d.path("templating").path("list"), "datasource");
            assertThat(datasource).as("%s has a datasource variable", uid).isNotNull();
            assertThat(datasource.path("type").asText()).isEqualTo("datasource");
            assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
            for (JsonNode panel : panels(d)) {
                for (JsonNode target : panel.path("targets")) {
                    Matcher m = VARIABLE.matcher(target.path("expr").asText());
                    while (m.find()) {
                        String name = m.group(1);
                        if (!name.startsWith("__")) {
                            assertThat(defined).as("%s panel '%s' uses $%s", uid, panel.path("title").asText(), name).contains(name);
                        }
                    }
                }
            }
        }
    }

    @Test
    void panelIdsAreUniqueAndTheLayoutFits() {
        for (JsonNode d : dashboards()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : panels(d)) {
                assertThat(ids.add(panel.path("id").asInt(-1)))
                        .as("%s panel id %s is unique", d.get("uid").asText(), panel.path("id")).isTrue();
                JsonNode grid = panel.path("gridPos");
                assertThat(grid.path("w").asInt()).isBetween(1, 24);
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("panel %s fits in 24 columns", panel.path("title"))
                        .isLessThanOrEqualTo(24);
                assertThat(grid.path("h").asInt()).isPositive();
            }
            assertThat(ids).doesNotContain(-1);
        }
    }

    @Test
    void currentPanelTypesEveryOneOnTheDatasourceVariable() {
        for (JsonNode d : dashboards()) {
            for (JsonNode panel : panels(d)) {
                String where = d.get("uid").asText() + " panel '" + panel.path("title").asText() + "'";
                assertThat(PANEL_TYPES).as(where + " type").contains(panel.path("type").asText());
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("datasource").path("uid").asText()).as(where + " datasource").isEqualTo(DATASOURCE_UID);
                assertThat(panel.path("targets").size()).as(where + " has queries").isPositive();
                assertThat(panel.has("interval")).as(where + " has no fixed interval").isFalse();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).as(where + " target datasource").isEqualTo(DATASOURCE_UID);
                    assertThat(target.path("expr").asText()).as(where + " expr").isNotBlank();
                    assertThat(target.has("interval") && !target.path("interval").asText().isEmpty())
                            .as(where + " target has no fixed interval").isFalse();
                }
            }
        }
    }

    @Test
    void rangesUseTheRateIntervalNeverAFixedWindow() {
        for (JsonNode d : dashboards()) {
            for (JsonNode panel : panels(d)) {
                for (JsonNode target : panel.path("targets")) {
                    Matcher m = RANGE.matcher(target.path("expr").asText());
                    while (m.find()) {
                        assertThat(m.group(1)).as("%s panel '%s': %s", d.get("uid").asText(), panel.path("title").asText(),
                                target.path("expr").asText()).isEqualTo("$__rate_interval");
                    }
                }
            }
        }
    }

    @Test
    void heatmapsReadBucketsAsHeatmaps() {
        for (JsonNode d : dashboards()) {
            for (JsonNode panel : panels(d)) {
                if (panel.path("type").asText().equals("heatmap")) {
                    for (JsonNode target : panel.path("targets")) {
                        assertThat(target.path("format").asText()).as("heatmap '%s'", panel.path("title")).isEqualTo("heatmap");
                        assertThat(target.path("expr").asText()).contains("_bucket").contains("by (le)");
                    }
                }
            }
        }
    }

    /** Every dashboard JSON file, parsed. */
    static List<JsonNode> dashboards() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            List<JsonNode> all = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                all.add(JSON.readTree(f.toFile()));
            }
            assertThat(all).as("dashboards in %s", DASHBOARDS.toAbsolutePath()).isNotEmpty();
            return all;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every panel, rows' nested panels included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    private static JsonNode first(JsonNode list, String name) {
        for (JsonNode v : list) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        return null;
    }
}
