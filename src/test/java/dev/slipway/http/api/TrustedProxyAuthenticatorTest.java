package dev.slipway.http.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.kubernetes.access.KubernetesUser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustedProxyAuthenticatorTest {

    private final TrustedProxyAuthenticator proxy = new TrustedProxyAuthenticator(true,
            List.of("10.20.0.0/16", "fd00::1"), "X-Forwarded-User", "X-Forwarded-Groups");

    @Test
    void headersFromAConfiguredProxyAddressNameTheUserAndGroups() {
        CallerAuthenticator.CallerRequest request = request("10.20.3.4");

        assertThat(proxy.presentIn(request)).isTrue();
        assertThat(proxy.authenticate(request)).contains(new KubernetesUser("alice", List.of("shop-ops", "auditors")));
        assertThat(proxy.presentIn(request("fd00::1"))).isTrue();
    }

    @Test
    void theSameHeadersFromAnyOtherPeerAreIgnored() {
        assertThat(proxy.presentIn(request("10.21.0.1"))).isFalse();
        assertThat(proxy.presentIn(request("127.0.0.1"))).isFalse();
        assertThat(proxy.presentIn(request("fd00::2"))).isFalse();
        assertThat(proxy.presentIn(request("not-an-address"))).isFalse();
    }

    @Test
    void switchedOffTheHeadersAreIgnoredEvenFromTheProxy() {
        TrustedProxyAuthenticator off = new TrustedProxyAuthenticator(false, List.of("10.20.0.0/16"),
                "X-Forwarded-User", "X-Forwarded-Groups");

        assertThat(off.presentIn(request("10.20.3.4"))).isFalse();
    }

    @Test
    void aMalformedAddressIsAOneLineErrorNamingTheSetting() {
        assertThatThrownBy(() -> new TrustedProxyAuthenticator(true, List.of("10.0.0.0/40"), "u", "g"))
                .hasMessage("slipway.console.trusted-proxy.addresses: prefix length of 10.0.0.0/40 is out of range");
        assertThatThrownBy(() -> new TrustedProxyAuthenticator(true, List.of("proxy.example.com"), "u", "g"))
                .hasMessageStartingWith("slipway.console.trusted-proxy.addresses: proxy.example.com is not");
    }

    private static CallerAuthenticator.CallerRequest request(String peer) {
        Map<String, String> headers = Map.of("X-Forwarded-User", "alice", "X-Forwarded-Groups", "shop-ops, auditors");
        return new CallerAuthenticator.CallerRequest(headers::get, name -> null, peer);
    }
}
