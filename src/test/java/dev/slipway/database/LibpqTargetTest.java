package dev.slipway.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LibpqTargetTest {

    @Test
    void theServerDatabaseAndSslModeOfAJdbcUrlAsPgDumpTakesThem() {
        assertThat(LibpqTarget.of(new DbConnection("jdbc:postgresql://db.shop.svc:6432/shop%20data?sslmode=verify-full"
                + "&ApplicationName=slipway", "admin", "secret")))
                .isEqualTo(new LibpqTarget("db.shop.svc", 6432, "shop data", Optional.of("verify-full")));
        assertThat(LibpqTarget.of(new DbConnection("jdbc:postgresql://db/shop", "admin", null)))
                .as("libpq's default port, no sslmode").isEqualTo(new LibpqTarget("db", 5432, "shop", Optional.empty()));
    }

    @Test
    void aUrlWithoutHostOrDatabaseIsRefusedSayingWhatPgDumpNeeds() {
        assertThatThrownBy(() -> LibpqTarget.of(new DbConnection("jdbc:postgresql:shop", "admin", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no host and database");
        assertThatThrownBy(() -> LibpqTarget.of(new DbConnection("jdbc:postgresql://db:5432/", "admin", null)))
                .hasMessageContaining("jdbc:postgresql://host:port/database");
    }
}
