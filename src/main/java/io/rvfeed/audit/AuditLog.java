package io.rvfeed.audit;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.jooq.Record;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.LoggingEventBuilder;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import io.rvfeed.web.ApiProblem;
import io.rvfeed.web.RequestHeaders;

/**
 * Records administrative actions: the public API of the audit log for every feature
 * (admin API, command line, lifecycle jobs, webhooks...).
 * <ul>
 * <li>{@link #record} appends an entry in the caller's transaction, so the entry commits
 * with the action or not at all; call it inside the action's transaction.</li>
 * <li>{@link #audited} runs an action and, if it is refused ({@link ApiProblem}) or
 * fails, records that in a transaction of its own (the action's was rolled back).</li>
 * </ul>
 * Each entry committed is also logged (logger {@code io.rvfeed.audit}, INFO, with its
 * fields as key-value pairs, which the JSON log format writes as fields). The request id
 * and client address of the current request are taken from the log context.
 */
@Service
public class AuditLog {

	private static final Logger log = LoggerFactory.getLogger("io.rvfeed.audit");

	private final AuditRepository repository;

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final JsonMapper json = JSON;

	private final TransactionTemplate ownTransaction;

	AuditLog(AuditRepository repository, PlatformTransactionManager transactions) {
		this.repository = repository;
		this.ownTransaction = new TransactionTemplate(transactions);
		this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * The components that recording needs, for a command line that opens only the
	 * database (the transaction manager and jOOQ come with it).
	 */
	public static List<Class<?>> components() {
		return List.of(AuditLog.class, AuditRepository.class);
	}

	/**
	 * Appends the entry in the current transaction (or on its own without one) and logs
	 * it once that commits.
	 */
	public void record(AuditEntry entry) {
		String requestId = fromRequest(RequestHeaders.MDC_REQUEST_ID, RequestHeaders.REQUEST_ID_ATTRIBUTE);
		String client = fromRequest(RequestHeaders.MDC_CLIENT_IP, RequestHeaders.CLIENT_IP_ATTRIBUTE);
		Record stored = this.repository.insert(entry, this.json.writeValueAsString(entry.detail()), requestId, client);
		Long id = stored.get(AuditRepository.AUDIT_ID);
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					logEntry(id, entry, requestId);
				}
			});
		}
		else {
			logEntry(id, entry, requestId);
		}
	}

	/**
	 * From the log context, or (in a request's second dispatch, after its body arrived)
	 * from the request's attributes.
	 */
	private static @Nullable String fromRequest(String mdcKey, String attribute) {
		String value = MDC.get(mdcKey);
		if (value != null) {
			return value;
		}
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		Object stored = (request != null) ? request.getAttribute(attribute, RequestAttributes.SCOPE_REQUEST) : null;
		return (stored != null) ? stored.toString() : null;
	}

	/** Appends the entry in a transaction of its own, whatever the caller's. */
	public void recordOnItsOwn(AuditEntry entry) {
		this.ownTransaction.executeWithoutResult((status) -> record(entry));
	}

	/**
	 * Runs {@code action}, which records its own success in its transaction; if it is
	 * refused or fails, records that (with the reason given to the caller, or the
	 * exception's type) on its own, and rethrows.
	 */
	public <T> T audited(AuditActor actor, String action, @Nullable UUID tenantId, String target, Supplier<T> work) {
		try {
			return work.get();
		}
		catch (ApiProblem problem) {
			safely(new AuditEntry(actor, action, tenantId, target, AuditOutcome.REFUSED,
					Map.of("status", problem.status().value(), "reason", String.valueOf(problem.getMessage()))));
			throw problem;
		}
		catch (RuntimeException ex) {
			safely(new AuditEntry(actor, action, tenantId, target, AuditOutcome.FAILED,
					Map.of("error", ex.getClass().getSimpleName())));
			throw ex;
		}
	}

	private void safely(AuditEntry entry) {
		try {
			recordOnItsOwn(entry);
		}
		catch (RuntimeException ex) {
			// the database may be what failed; the log line still tells
			log.warn("Could not store the audit entry {} {} on {} ({}): {}", entry.action(), entry.outcome().value(),
					entry.target(), entry.actor().name(), ex.toString());
		}
	}

	private void logEntry(@Nullable Long id, AuditEntry entry, @Nullable String requestId) {
		LoggingEventBuilder event = log.atInfo()
			.addKeyValue("audit_id", id)
			.addKeyValue("audit_action", entry.action())
			.addKeyValue("audit_actor", entry.actor().name())
			.addKeyValue("audit_source", entry.actor().source().value())
			.addKeyValue("audit_target", entry.target())
			.addKeyValue("audit_outcome", entry.outcome().value());
		if (entry.actor().onBehalfOf() != null) {
			event = event.addKeyValue("audit_on_behalf_of", entry.actor().onBehalfOf());
		}
		if (entry.tenantId() != null) {
			event = event.addKeyValue("audit_tenant", entry.tenantId());
		}
		if (requestId != null) {
			event = event.addKeyValue("audit_request_id", requestId);
		}
		event.log("Audit #{}: {} {} by {} on {} {}", id, entry.action(), entry.outcome().value(), entry.actor().name(),
				entry.target(), this.json.writeValueAsString(entry.detail()));
	}

}
