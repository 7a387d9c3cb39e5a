package dev.stockade.dispatcher.service;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Refuses the WebSocket upgrade (401) unless the agent presents the pool's token (constant-time check, never logged). */
@ApplicationScoped
public class TokenUpgradeCheck implements HttpUpgradeCheck {

    private final DispatcherService service;

    TokenUpgradeCheck(DispatcherService service) {
        this.service = service;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return service.auth().allows(context.httpRequest().getHeader("Authorization"))
                ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(401);
    }
}
