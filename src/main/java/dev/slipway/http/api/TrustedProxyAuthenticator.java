package dev.slipway.http.api;

import dev.slipway.config.SlipwayConfig;
import dev.slipway.kubernetes.access.KubernetesUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An authenticating proxy's {@code X-Forwarded-User}/{@code X-Forwarded-Groups} (names configurable), believed only
 * when the feature is on and the TCP peer is inside one of the configured CIDRs: from anyone else the headers are
 * ignored, as if absent (anyone can send them).
 */
@ApplicationScoped
public class TrustedProxyAuthenticator implements CallerAuthenticator {

    /** An address range: {@code 10.0.0.0/8}, {@code fd00::/8}, or one address. */
    record Cidr(byte[] network, int prefixLength) {

        static Cidr parse(String text) {
            String[] parts = text.trim().split("/", 2);
            try {
                byte[] address = literal(parts[0]).getAddress();
                int length = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
                if (length < 0 || length > address.length * 8) {
                    throw new IllegalArgumentException("slipway.console.trusted-proxy.addresses: prefix length of "
                            + text + " is out of range");
                }
                return new Cidr(address, length);
            } catch (NumberFormatException | UnknownHostException e) {
                throw new IllegalArgumentException("slipway.console.trusted-proxy.addresses: " + text
                        + " is not an address or CIDR (e.g. 10.0.0.0/8)");
            }
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixLength; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final boolean enabled;
    private final List<Cidr> proxies;
    private final String userHeader;
    private final String groupsHeader;

    @Inject
    public TrustedProxyAuthenticator(SlipwayConfig config) {
        this(config.console().trustedProxy().enabled(), config.console().trustedProxy().addresses().orElse(List.of()),
                config.console().trustedProxy().userHeader(), config.console().trustedProxy().groupsHeader());
    }

    TrustedProxyAuthenticator(boolean enabled, List<String> addresses, String userHeader, String groupsHeader) {
        this.enabled = enabled;
        this.proxies = addresses.stream().map(Cidr::parse).toList();
        this.userHeader = userHeader;
        this.groupsHeader = groupsHeader;
    }

    @Override
    public int order() {
        return 200;
    }

    @Override
    public boolean presentIn(CallerRequest request) {
        return enabled && fromProxy(request.peerAddress()) && request.header().apply(userHeader) != null;
    }

    @Override
    public Optional<KubernetesUser> authenticate(CallerRequest request) {
        String user = request.header().apply(userHeader);
        if (user == null || user.isBlank()) {
            return Optional.empty();
        }
        String groups = request.header().apply(groupsHeader);
        return Optional.of(new KubernetesUser(user.trim(), groups == null ? List.of()
                : Arrays.stream(groups.split(",")).map(String::trim).filter(group -> !group.isEmpty()).toList()));
    }

    private boolean fromProxy(String peer) {
        if (peer == null || proxies.isEmpty()) {
            return false;
        }
        try {
            InetAddress address = literal(peer);
            return proxies.stream().anyMatch(cidr -> cidr.contains(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IP literal only: never a DNS lookup. */
    private static InetAddress literal(String text) throws UnknownHostException {
        if (!text.matches("[0-9a-fA-F:.]+") || text.isEmpty()) {
            throw new UnknownHostException(text);
        }
        return InetAddress.getByName(text);
    }
}
