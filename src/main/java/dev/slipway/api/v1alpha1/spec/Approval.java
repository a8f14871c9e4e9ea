package dev.slipway.api.v1alpha1.spec;


/** How an upgrade is approved. */
public enum Approval {
    Automatic, Manual
}
