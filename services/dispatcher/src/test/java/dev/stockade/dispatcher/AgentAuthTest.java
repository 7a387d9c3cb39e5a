package dev.stockade.dispatcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentAuthTest {

    @Test
    void onlyTheBearerTokenIsAdmitted() {
        AgentAuth auth = AgentAuth.token("s3cret");
        assertTrue(auth.allows("Bearer s3cret"));
        assertFalse(auth.allows("Bearer s3cre"));
        assertFalse(auth.allows("Bearer s3cret!"));
        assertFalse(auth.allows("s3cret"));
        assertFalse(auth.allows(null));
    }

    @Test
    void requiredWithoutATokenRefusesToStartAndTheTokenNeverPrints() {
        assertThrows(IllegalArgumentException.class, () -> AgentAuth.token(" "));
        assertFalse(AgentAuth.token("s3cret").toString().contains("s3cret"));
        assertTrue(AgentAuth.disabled().allows(null));
    }
}
