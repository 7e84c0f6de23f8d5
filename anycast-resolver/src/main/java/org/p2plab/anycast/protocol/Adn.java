package org.p2plab.anycast.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Anycast Domain Name: {@code <Service>%<Domain>}, e.g. {@code Daily-News%cc.gatech.edu}, the
 * name of a group of equivalent replicated servers; the domain says which resolver is
 * authoritative for it. A Metric-Qualified ADN puts the metric the client wants the choice made
 * by in front: {@code <Metric>.<Service>%<Domain>}, e.g. {@code ServerLoad.Daily_News%cc.gatech.edu}.
 *
 * <pre>
 * adn     = [ metric "." ] service "%" domain
 * metric  = token
 * service = token                                  ; letters, digits, '-', '_'
 * token   = ALPHA / DIGIT *62( ALPHA / DIGIT / "-" / "_" )
 * domain  = label *( "." label )                   ; a DNS domain, at most 253 characters
 * label   = 1*63( ALPHA / DIGIT / "-" ), not starting or ending with "-"
 * </pre>
 *
 * ADNs compare case-insensitively, as DNS names do: {@link #key()} is the lower-case group name.
 * As a DNS name (the resolver's DNS front-end) {@code Service%Domain} is
 * {@code service.domain.anycast.}, and a metric becomes the first label.
 *
 * @param metric  the metric prefix, or null
 */
public record Adn(String metric, String service, String domain) {

    /** The DNS suffix ADNs live under in the resolver's DNS front-end. */
    public static final String DNS_SUFFIX = "anycast.";

    private static final String TOKEN = "[A-Za-z0-9][A-Za-z0-9_-]{0,62}";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern ADN = Pattern.compile("(?:(" + TOKEN + ")\\.)?(" + TOKEN + ")%(" + LABEL + "(?:\\." + LABEL + ")*)");

    public Adn {
        if (service == null || domain == null) {
            throw new IllegalArgumentException("an ADN needs a service and a domain");
        }
        String text = (metric == null ? "" : metric + ".") + service + "%" + domain;
        if (!ADN.matcher(text).matches() || domain.length() > 253) {
            throw new IllegalArgumentException("not an ADN: " + abbreviate(text));
        }
    }

    /** Parses {@code [Metric.]Service%Domain}; anything else is an {@link IllegalArgumentException} saying why. */
    public static Adn parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no ADN given: write Service%Domain, e.g. Daily-News%cc.gatech.edu");
        }
        if (text.length() > 400) {
            throw new IllegalArgumentException("an ADN is at most 400 characters, got " + text.length());
        }
        if (text.indexOf('%') < 0) {
            throw new IllegalArgumentException("an ADN is Service%Domain (e.g. Daily-News%cc.gatech.edu); no '%' in " + abbreviate(text));
        }
        Matcher m = ADN.matcher(text);
        if (!m.matches() || m.group(3).length() > 253) {
            throw new IllegalArgumentException("not an ADN: " + abbreviate(text) + "; the service (and an optional Metric. "
                    + "before it) is letters, digits, '-' and '_', the domain a DNS domain, e.g. ServerLoad.Daily-News%cc.gatech.edu");
        }
        return new Adn(m.group(1), m.group(2), m.group(3));
    }

    /** The group this ADN names, without the metric. */
    public Adn group() {
        return metric == null ? this : new Adn(null, service, domain);
    }

    /** The lower-case group name: what groups are stored and compared by. */
    public String key() {
        return (service + "%" + domain).toLowerCase(Locale.ROOT);
    }

    /** {@code [metric.]service.domain.anycast.}, lower case. */
    public String dnsName() {
        return ((metric == null ? "" : metric + ".") + service + "." + domain + "." + DNS_SUFFIX).toLowerCase(Locale.ROOT);
    }

    /**
     * The ADN {@code dnsName} stands for if it names this group: the group itself, or the group
     * with one more label in front, a metric. Empty otherwise.
     */
    public Optional<Adn> matchDnsName(String dnsName) {
        String name = dnsName.toLowerCase(Locale.ROOT);
        String groupName = group().dnsName();
        if (name.equals(groupName)) {
            return Optional.of(group());
        }
        if (name.endsWith("." + groupName)) {
            String metric = name.substring(0, name.length() - groupName.length() - 1);
            if (!metric.contains(".")) {
                try {
                    return Optional.of(new Adn(metric, service, domain));
                }
                catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The ADNs a DNS name under {@code anycast.} may stand for when no group is known to match it:
     * the first label as the service, and, if that label is a metric, the second as the service.
     * DNS names do not say where the service ends and the domain begins; the service has no dots,
     * so these are the only readings.
     */
    public static List<Adn> readingsOfDnsName(String dnsName) {
        String name = dnsName.toLowerCase(Locale.ROOT);
        if (!name.endsWith("." + DNS_SUFFIX)) {
            return List.of();
        }
        String[] labels = name.substring(0, name.length() - DNS_SUFFIX.length() - 1).split("\\.");
        List<Adn> out = new ArrayList<>();
        if (labels.length >= 2) {
            tryAdd(out, null, labels[0], String.join(".", Arrays.copyOfRange(labels, 1, labels.length)));
        }
        if (labels.length >= 3 && Filter.isMetric(labels[0])) {
            tryAdd(out, labels[0], labels[1], String.join(".", Arrays.copyOfRange(labels, 2, labels.length)));
        }
        return out;
    }

    private static void tryAdd(List<Adn> out, String metric, String service, String domain) {
        try {
            out.add(new Adn(metric, service, domain));
        }
        catch (IllegalArgumentException notAnAdn) {
            // not a reading
        }
    }

    /** Whether this ADN is authoritative in {@code resolverDomain}: its domain is that domain or below it. */
    public boolean isIn(String resolverDomain) {
        String d = domain.toLowerCase(Locale.ROOT);
        String r = resolverDomain.toLowerCase(Locale.ROOT);
        return d.equals(r) || d.endsWith("." + r);
    }

    @Override
    public String toString() {
        return (metric == null ? "" : metric + ".") + service + "%" + domain;
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? "'" + s + "'" : "'" + s.substring(0, 60) + "…'";
    }
}
