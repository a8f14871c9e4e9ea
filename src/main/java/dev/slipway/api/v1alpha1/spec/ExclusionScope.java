package dev.slipway.api.v1alpha1.spec;


/** Which upgrades an exclusion blocks. */
public enum ExclusionScope {
    All, MinorAndMajor, Major
}
