package ai.chutes.status.authentication;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Per-caller request rate ({@code status.rate-limit.*}), keyed by {@link Caller#identity()}: a token,
 * a certificate subject, a unix peer, or the remote IP of an anonymous caller. Buckets of callers not
 * seen for ten minutes are dropped, and at most 10,000 are kept, so rotating source addresses cost
 * bounded memory (an evicted caller simply starts again with a full bucket).
 */
@Singleton
public final class RateLimiter {

    private final AuthenticationSettings.RateLimit limit;
    private final LongSupplier nanoTime;
    private final Cache<String, TokenBucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(10_000)
            .build();

    @Inject
    RateLimiter(AuthenticationSettings settings) {
        this(settings.rateLimit(), System::nanoTime);
    }

    RateLimiter(AuthenticationSettings.RateLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
    }

    /** Empty when the caller may go on; else how many whole seconds to wait (at least 1), for Retry-After. */
    public OptionalLong retryAfterSeconds(Caller caller) {
        if (!limit.enabled()) {
            return OptionalLong.empty();
        }
        long now = nanoTime.getAsLong();
        long wait = buckets.get(caller.identity(), key -> new TokenBucket(limit.perSecond(), limit.burst(), now)).take(now);
        return wait == 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(1, (wait + 999_999_999L) / 1_000_000_000L));
    }
}
