package dev.slipway.kubernetes.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.api.v1alpha1.ManagedUpgrade;
import dev.slipway.core.InvalidSpecException;
import dev.slipway.demo.SampleApplication;
import org.junit.jupiter.api.Test;

/** spec.application.installedVersion (a version or none) and components[].replicas. */
class FirstInstallSpecTest {

    private final ManagedUpgrade resource = new SampleApplication().managedUpgrade("shop", "shop", "http://feed.example");

    @Test
    void noneMeansNeverInstalledAndStatesNoVersion() {
        resource.getSpec().getApplication().setInstalledVersion("none");

        ResolvedSpec spec = SpecReader.read(resource.getSpec());

        assertThat(spec.notInstalled()).isTrue();
        assertThat(spec.installedVersion()).isNull();
    }

    @Test
    void aVersionIsReadAsBefore() {
        resource.getSpec().getApplication().setInstalledVersion("1.2.0");

        ResolvedSpec spec = SpecReader.read(resource.getSpec());

        assertThat(spec.notInstalled()).isFalse();
        assertThat(spec.installedVersion()).hasToString("1.2.0");
    }

    @Test
    void anythingElseNamesTheFieldAndBothAcceptedForms() {
        resource.getSpec().getApplication().setInstalledVersion("nothing");

        assertThatThrownBy(() -> SpecReader.read(resource.getSpec())).isInstanceOfSatisfying(
                InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.application.installedVersion");
                    assertThat(e.reason()).isEqualTo("'nothing' is neither a SemVer version such as 1.4.2 nor 'none'"
                            + " (never installed)");
                });
    }

    @Test
    void negativeReplicasNameTheComponent() {
        resource.getSpec().getApplication().getComponents().get(0).setReplicas(-1);

        assertThatThrownBy(() -> SpecReader.read(resource.getSpec())).isInstanceOfSatisfying(
                InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo("spec.application.components[0].replicas");
                    assertThat(e.reason()).isEqualTo("must be 0 or more, not -1");
                });
    }
}
