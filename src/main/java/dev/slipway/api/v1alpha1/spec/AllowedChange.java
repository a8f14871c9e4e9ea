package dev.slipway.api.v1alpha1.spec;


/** The largest kind of version change Slipway may make on its own. */
public enum AllowedChange {
    Patch, Minor, Major
}
