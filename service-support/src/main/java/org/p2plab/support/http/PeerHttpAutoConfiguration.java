package org.p2plab.support.http;

import java.net.http.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The {@code peerRestClient}: a {@link RestClient} from Boot's auto-configured builder (message
 * converters, observation/metrics) on the JDK {@link HttpClient}, HTTP/1.1 only (Tomcat does
 * not upgrade h2c), with the {@code p2plab.http.connect-timeout} / {@code read-timeout} and,
 * when set, {@code p2plab.http.artificial-latency} before every call.
 * Use it with absolute URLs and wrap calls in {@link PeerCalls}.
 */
@AutoConfiguration(after = RestClientAutoConfiguration.class)
@EnableConfigurationProperties(PeerHttpProperties.class)
public class PeerHttpAutoConfiguration {

    /** Bean name of the peer client; inject with {@code @Qualifier(PEER_REST_CLIENT)} if a service has other RestClients. */
    public static final String PEER_REST_CLIENT = "peerRestClient";

    @Bean(PEER_REST_CLIENT)
    @ConditionalOnMissingBean(name = PEER_REST_CLIENT)
    public RestClient peerRestClient(ObjectProvider<RestClient.Builder> builder, PeerHttpProperties properties) {
        // Boot's builder is a prototype bean: this one is ours alone
        RestClient.Builder b = builder.getIfAvailable(RestClient::builder).requestFactory(peerRequestFactory(properties));
        if (!properties.artificialLatency().isZero()) {
            // only when asked for: an interceptor makes every request body be buffered (a copy of
            // each Publius file on its way to a server)
            b.requestInterceptor(new ArtificialLatencyInterceptor(properties.artificialLatency()));
        }
        return b.build();
    }

    /** The request factory behind {@code peerRestClient}: JDK client, HTTP/1.1, p2plab timeouts. */
    public static JdkClientHttpRequestFactory peerRequestFactory(PeerHttpProperties properties) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(properties.readTimeout());
        return factory;
    }
}
