package dev.slipway.k3s;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.client.Config;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A real single-node Kubernetes (k3s in a container) for the application under test: the Quarkus Kubernetes client is
 * pointed at it, so the injected Operator runs in the test JVM against a cluster with a kubelet, a scheduler and
 * Traefik as the Ingress controller. Started only for classes that ask for it, and only where Docker answers.
 */
public class K3sCluster implements QuarkusTestResourceLifecycleManager {

    static final DockerImageName IMAGE = DockerImageName.parse("rancher/k3s:v1.31.4-k3s1");
    /** A tiny image that runs until stopped: stands in for the sample application's components. */
    static final String IDLE_IMAGE = "registry.k8s.io/pause:3.10";

    private static K3sContainer k3s;

    @Override
    public Map<String, String> start() {
        k3s = new K3sContainer(IMAGE);
        k3s.start();
        Config kube = Config.fromKubeconfig(k3s.getKubeConfigYaml());
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", kube.getMasterUrl(),
                "quarkus.kubernetes-client.ca-cert-data", kube.getCaCertData(),
                "quarkus.kubernetes-client.client-cert-data", kube.getClientCertData(),
                "quarkus.kubernetes-client.client-key-data", kube.getClientKeyData(),
                "quarkus.kubernetes-client.client-key-algo", kube.getClientKeyAlgo() == null ? "EC" : kube.getClientKeyAlgo());
    }

    @Override
    public void stop() {
        if (k3s != null) {
            k3s.stop();
        }
    }

    /** Makes {@code image} of the local Docker engine (e.g. Slipway's own, built from Dockerfile.jvm) known to k3s. */
    static void importFromDocker(String image) throws IOException, InterruptedException {
        DockerClient docker = DockerClientFactory.instance().client();
        Path tar = Files.createTempFile("image", ".tar");
        try (InputStream saved = docker.saveImageCmd(image).exec()) {
            Files.copy(saved, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/image.tar");
        run("ctr", "-n", "k8s.io", "images", "import", "/tmp/image.tar");
        Files.delete(tar);
    }

    /** Pulls the idle image into k3s and tags it as each of {@code images}, so pods using them start and turn Ready. */
    static void idleImageAs(Iterable<String> images) throws IOException, InterruptedException {
        run("ctr", "-n", "k8s.io", "images", "pull", IDLE_IMAGE);
        for (String image : images) {
            run("ctr", "-n", "k8s.io", "images", "tag", "--force", IDLE_IMAGE, qualified(image));
        }
    }

    /** containerd's name for an image reference: Docker Hub short names get their registry and library path. */
    private static String qualified(String image) {
        return image.contains("/") && image.substring(0, image.indexOf('/')).contains(".") ? image
                : "docker.io/" + (image.contains("/") ? image : "library/" + image);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Container.ExecResult result = k3s.execInContainer(command);
        if (result.getExitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.getExitCode() + "): "
                    + result.getStderr());
        }
    }
}
