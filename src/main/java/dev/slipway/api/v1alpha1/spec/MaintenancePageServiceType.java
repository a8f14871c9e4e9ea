package dev.slipway.api.v1alpha1.spec;

/** Type of the maintenance page's Service: what the Ingress controller needs to reach a backend. */
public enum MaintenancePageServiceType {
    /** Controllers that route to endpoints or cluster IPs (ingress-nginx, Traefik, HAProxy, AWS LBC in IP mode). */
    ClusterIP,
    /** Controllers that send traffic to node ports (AWS Load Balancer Controller in instance mode, GCE). */
    NodePort
}
