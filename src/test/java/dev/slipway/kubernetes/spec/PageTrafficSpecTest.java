package dev.slipway.kubernetes.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.api.v1alpha1.spec.MaintenancePageSpec;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.demo.SampleApplication;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** spec.maintenancePage's traffic fields: defaults, and a one-line rejection naming the field. */
class PageTrafficSpecTest {

    private final ManagedUpgrade resource = new SampleApplication().managedUpgrade("shop", "shop", "http://feed.example");

    @Test
    void withoutTheFieldsNothingIsVerifiedAndThePageDrainsThirtySeconds() {
        resource.getSpec().setMaintenancePage(null);

        assertThat(SpecReader.read(resource.getSpec()).pageTraffic())
                .isEqualTo(new ResolvedSpec.PageTraffic(null, Duration.ofMinutes(2), Duration.ofSeconds(30)));
    }

    @Test
    void theFieldsAreReadAsWritten() {
        MaintenancePageSpec page = new MaintenancePageSpec();
        page.setVerifyUrl("https://shop.example.com/");
        page.setVerifyTimeout("5m");
        page.setDrainAfterRestore("1m30s");
        resource.getSpec().setMaintenancePage(page);

        assertThat(SpecReader.read(resource.getSpec()).pageTraffic()).isEqualTo(new ResolvedSpec.PageTraffic(
                URI.create("https://shop.example.com/"), Duration.ofMinutes(5), Duration.ofSeconds(90)));
    }

    @Test
    void aBadUrlOrDurationNamesTheField() {
        MaintenancePageSpec page = new MaintenancePageSpec();
        resource.getSpec().setMaintenancePage(page);

        page.setVerifyUrl("shop.example.com");
        assertThatThrownBy(() -> SpecReader.read(resource.getSpec())).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.field()).isEqualTo("spec.maintenancePage.verifyUrl"));

        page.setVerifyUrl(null);
        page.setVerifyTimeout("two minutes");
        assertThatThrownBy(() -> SpecReader.read(resource.getSpec())).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.field()).isEqualTo("spec.maintenancePage.verifyTimeout"));

        page.setVerifyTimeout(null);
        page.setDrainAfterRestore("-1s");
        assertThatThrownBy(() -> SpecReader.read(resource.getSpec())).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.field()).isEqualTo("spec.maintenancePage.drainAfterRestore"));
    }
}
