package dev.slipway.http.api;

import dev.slipway.kubernetes.access.KubernetesUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who makes a request: the first {@link CallerAuthenticator} (by order) whose kind of credential the request
 * carries decides; a credential that is present but refused is a failed sign-in, never a fall-through to the next.
 */
@ApplicationScoped
public class ApiCallers {

    /** The outcome: a user, no credential at all, or a refused one. */
    public sealed interface Outcome {
        record Signed(KubernetesUser user) implements Outcome {
        }

        record Anonymous() implements Outcome {
        }

        record Refused() implements Outcome {
        }
    }

    private final List<CallerAuthenticator> authenticators;

    @Inject
    public ApiCallers(Instance<CallerAuthenticator> authenticators) {
        this(authenticators.stream().toList());
    }

    ApiCallers(List<CallerAuthenticator> authenticators) {
        this.authenticators = authenticators.stream().sorted(Comparator.comparingInt(CallerAuthenticator::order))
                .toList();
    }

    public Outcome resolve(CallerAuthenticator.CallerRequest request) {
        for (CallerAuthenticator authenticator : authenticators) {
            if (authenticator.presentIn(request)) {
                Optional<KubernetesUser> user = authenticator.authenticate(request);
                return user.<Outcome>map(Outcome.Signed::new).orElseGet(Outcome.Refused::new);
            }
        }
        return new Outcome.Anonymous();
    }
}
