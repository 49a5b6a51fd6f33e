package io.rvfeed.lifecycle;

import java.util.List;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import io.rvfeed.audit.AuditLog;
import io.rvfeed.auth.ApiKeyStorage;
import io.rvfeed.auth.TenantRepository;

/** The lifecycle's operations together, for the command line. */
@Component
class LifecycleOperations {

	final TenantDeletion deletion;

	final RetentionSettings retention;

	final RetentionPurge purge;

	final Erasure erasure;

	LifecycleOperations(TenantDeletion deletion, RetentionSettings retention, RetentionPurge purge, Erasure erasure) {
		this.deletion = deletion;
		this.retention = retention;
		this.purge = purge;
		this.erasure = erasure;
	}

	/** The components a command opens with the database. */
	static List<Class<?>> components() {
		return Stream.of(
				List.<Class<?>>of(LifecycleOperations.class, TenantDeletion.class, RetentionSettings.class,
						RetentionPurge.class, Erasure.class, TenantTables.class, LifecycleJobRepository.class,
						RetentionRepository.class, TenantRepository.class),
				AuditLog.components(), ApiKeyStorage.components())
			.flatMap(List::stream)
			.toList();
	}

}
