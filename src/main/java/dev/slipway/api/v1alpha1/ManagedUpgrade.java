package dev.slipway.api.v1alpha1;

import dev.slipway.api.v1alpha1.spec.ManagedUpgradeSpec;
import dev.slipway.api.v1alpha1.status.ManagedUpgradeStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One managed application: its release source, upgrade policy, maintenance windows and upgrade state. */
@Group(ManagedUpgrade.GROUP)
@Version(ManagedUpgrade.VERSION)
@ShortNames("mu")
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".status.currentVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "TARGET", jsonPath = ".status.targetVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "NEXT-WINDOW", jsonPath = ".status.maintenance.nextWindow.start",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ManagedUpgrade extends CustomResource<ManagedUpgradeSpec, ManagedUpgradeStatus> implements Namespaced {

    public static final String GROUP = "slipway.dev";
    public static final String VERSION = "v1alpha1";
}
