package dev.slipway.kubernetes.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.demo.SampleApplication;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quiesce fields of the spec: defaults, and a one-line rejection naming the field. */
class QuiesceSpecTest {

    private final ManagedUpgrade resource = new SampleApplication().managedUpgrade("shop", "shop", "http://feed.example");

    @Test
    void withoutQuiesceFieldsSessionsAreNotCheckedAndStragglersWouldBeTerminatedAfterTwoMinutes() {
        ResolvedSpec.Quiesce quiesce = SpecReader.read(resource.getSpec()).quiesce();

        assertThat(quiesce).isEqualTo(new ResolvedSpec.Quiesce(List.of(), Duration.ofMinutes(2), true, false));
    }

    @Test
    void theFieldsAreReadAsWritten() {
        resource.getSpec().getDatabase().setApplicationRoles(List.of("shop_app", "shop_jobs"));
        resource.getSpec().getDatabase().setSessionDrainTimeout("45s");
        resource.getSpec().getDatabase().setTerminateSessions(false);
        resource.getSpec().getApplication().setAllowAutoscalers(true);

        assertThat(SpecReader.read(resource.getSpec()).quiesce()).isEqualTo(new ResolvedSpec.Quiesce(
                List.of("shop_app", "shop_jobs"), Duration.ofSeconds(45), false, true));
    }

    @Test
    void aBadDrainTimeoutOrABlankRoleNamesTheField() {
        resource.getSpec().getDatabase().setSessionDrainTimeout("two minutes");
        assertThatThrownBy(() -> SpecReader.read(resource.getSpec())).isInstanceOfSatisfying(
                InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("spec.database.sessionDrainTimeout"));

        resource.getSpec().getDatabase().setSessionDrainTimeout(null);
        resource.getSpec().getDatabase().setApplicationRoles(Arrays.asList("shop_app", " "));
        assertThatThrownBy(() -> SpecReader.read(resource.getSpec())).isInstanceOfSatisfying(
                InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("spec.database.applicationRoles[1]"));
    }
}
