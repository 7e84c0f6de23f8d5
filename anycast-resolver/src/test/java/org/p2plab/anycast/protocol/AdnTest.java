package org.p2plab.anycast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdnTest {

    @Test
    void theGroupNameAndItsDnsForm() {
        Adn a = Adn.parse("Daily-News%cc.gatech.edu");
        assertThat(a.metric()).isNull();
        assertThat(a.service()).isEqualTo("Daily-News");
        assertThat(a.domain()).isEqualTo("cc.gatech.edu");
        assertThat(a.toString()).isEqualTo("Daily-News%cc.gatech.edu");
        assertThat(a.dnsName()).isEqualTo("daily-news.cc.gatech.edu.anycast.");
        assertThat(a.key()).isEqualTo(Adn.parse("daily-news%CC.gatech.EDU").key());
        assertThat(a.isIn("gatech.edu")).isTrue();
        assertThat(a.isIn("cc.gatech.edu")).isTrue();
        assertThat(a.isIn("tech.edu")).isFalse();
    }

    @Test
    void aMetricQualifiedAdn() {
        Adn a = Adn.parse("ServerLoad.Daily_News%cc.gatech.edu");
        assertThat(a.metric()).isEqualTo("ServerLoad");
        assertThat(a.service()).isEqualTo("Daily_News");
        assertThat(a.group()).isEqualTo(Adn.parse("Daily_News%cc.gatech.edu"));
        assertThat(a.key()).isEqualTo("daily_news%cc.gatech.edu");
        assertThat(a.dnsName()).isEqualTo("serverload.daily_news.cc.gatech.edu.anycast.");
        assertThat(Adn.parse(a.toString())).isEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Daily-News", "%cc.gatech.edu", "Daily-News%", "Daily News%cc.gatech.edu",
            "a.b.Daily%cc.edu", "Daily-News%cc..edu", "Daily-News%-cc.edu", "Daily-News%cc.edu.", "-x%cc.edu",
            "x%cc.edu%d", "x%c_c.edu"})
    void malformedAdnsAreRefusedWithAReason(String bad) {
        assertThatThrownBy(() -> Adn.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ADN");
    }

    @Test
    void longNamesAreRefused() {
        assertThatThrownBy(() -> Adn.parse("x%" + "a".repeat(64) + ".edu")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Adn.parse("x%" + "abc.".repeat(70) + "edu")).isInstanceOf(IllegalArgumentException.class);
    }
}
