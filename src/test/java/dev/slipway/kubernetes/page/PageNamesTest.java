package dev.slipway.kubernetes.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Page object names and labels derived from any valid ManagedUpgrade name (a DNS-1123 subdomain: up to 253
 * characters of lowercase letters, digits, '-' and '.', alphanumeric at both ends) are what a real apiserver accepts:
 * the Service name a DNS-1035 label (k8s.io/apimachinery/pkg/util/validation IsDNS1035Label), label values at most 63
 * characters (IsValidLabelValue).
 */
class PageNamesTest {

    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    @Property(tries = 500)
    void anyValidManagedUpgradeNameGivesValidPageNamesAndLabels(@ForAll("subdomains") String upgradeName) {
        String name = PageNames.name(upgradeName);
        String label = PageNames.instanceLabel(upgradeName);

        assertThat(name).hasSizeLessThanOrEqualTo(63).matches(DNS_1035_LABEL);
        assertThat(label).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE);
        assertThat(PageNames.name(upgradeName)).as("deterministic").isEqualTo(name);
    }

    @Test
    void edgeCaseNamesAreHashShortenedAndStayDistinct() {
        String longest = "a".repeat(253);
        String longestButOne = "a".repeat(252);
        String dotted = "shop.eu-west.example.com";
        String leadingDigit = "9shop";

        assertThat(PageNames.name(longest)).hasSize(63).matches(DNS_1035_LABEL).endsWith("-maintenance");
        assertThat(PageNames.name(longest)).isNotEqualTo(PageNames.name(longestButOne));
        assertThat(PageNames.instanceLabel(longest)).hasSize(63).isNotEqualTo(PageNames.instanceLabel(longestButOne));
        assertThat(PageNames.name(dotted)).matches(DNS_1035_LABEL).startsWith("shop-eu-west-example-com-")
                .isNotEqualTo(PageNames.name("shop-eu-west-example-com"));
        assertThat(PageNames.instanceLabel(dotted)).as("dots are fine in label values").isEqualTo(dotted);
        assertThat(PageNames.name(leadingDigit)).matches(DNS_1035_LABEL).startsWith("mu-9shop-");
        assertThat(PageNames.name("shop")).as("names that fit are kept").isEqualTo("shop-maintenance");
        assertThat(PageNames.name("a".repeat(51))).isEqualTo("a".repeat(51) + "-maintenance");
        assertThat(PageNames.name("a".repeat(52))).hasSize(63).doesNotStartWith("a".repeat(52));
    }

    /** DNS-1123 subdomains: dot-separated DNS-1123 labels, 1 to 253 characters. */
    @Provide
    Arbitrary<String> subdomains() {
        Arbitrary<String> label = Combinators.combine(
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofLength(1),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(0).ofMaxLength(61),
                Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789").ofLength(1))
                .as((first, middle, last) -> first + middle + last);
        return Arbitraries.oneOf(label.map(l -> l.substring(0, 1)), label)
                .list().ofMinSize(1).ofMaxSize(6).map(labels -> String.join(".", labels))
                .map(name -> name.length() <= 253 ? name : name.substring(0, 252).replaceAll("[.-]+$", "") + "z")
                .edgeCases(config -> config.add("a".repeat(253)).add("0").add("1.2.3").add("a.b"));
    }
}
