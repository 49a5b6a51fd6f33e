package io.rvfeed.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

import io.rvfeed.auth.ApiPrincipal;
import io.rvfeed.db.ReadDatabase;
import io.rvfeed.session.FeedItem;
import io.rvfeed.web.ApiError;
import io.rvfeed.web.CsvCells;
import io.rvfeed.web.NonBlockingResponse;

/**
 * Runs exports, each on a thread of its own (at most as many as may run at once) that
 * reads a database cursor in one snapshot and writes to the client without ever blocking
 * on it: it waits for the client at most {@code rvfeed.export.write-deadline} at a time,
 * then cuts the export off, which ends its transaction and frees its connection. An
 * export also ends when its API key is revoked.
 */
@Component
class FeedExports implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(FeedExports.class);

	private static final int CHUNK_BYTES = 32 * 1024;

	private final FeedRepository feed;

	private final TransactionTemplate snapshot;

	private final ObjectMapper json;

	private final OpenResponses openResponses;

	private final ExportProperties properties;

	private final ExecutorService runners;

	private final FeedMetrics metrics;

	FeedExports(FeedRepository feed, ReadDatabase read, ObjectMapper json, OpenResponses openResponses,
			ExportProperties properties, FeedMetrics metrics) {
		this.feed = feed;
		this.metrics = metrics;
		this.json = json;
		this.openResponses = openResponses;
		this.properties = properties;
		this.snapshot = new TransactionTemplate(read.transactions());
		this.snapshot.setReadOnly(true);
		this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
		int threads = openResponses.total(OpenResponses.Kind.EXPORT);
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (task) -> {
					Thread thread = new Thread(task, "feed-export");
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		this.runners = executor;
	}

	/**
	 * Starts exporting the caller's matching sessions on the response, or refuses with
	 * 429 when the caller is at a cap.
	 */
	void start(ApiPrincipal caller, FeedQuery query, FeedExportController.Format format, String filename,
			HttpServletRequest request, HttpServletResponse response) throws IOException {
		OpenResponses.Lease lease = this.openResponses.open(OpenResponses.Kind.EXPORT, caller);
		try {
			Export export = new Export(caller, query, format, filename, response, lease);
			export.out = NonBlockingResponse.start(request, response, () -> {
			}, () -> {
			});
			lease.onRevoked(export::revoke);
			this.runners.execute(ReadDatabase.carryingToken(export));
		}
		catch (IOException | RuntimeException ex) {
			lease.close();
			throw ex;
		}
	}

	@Override
	public void destroy() {
		this.runners.shutdownNow();
	}

	/** Why an export stopped before its end. */
	private static final class ExportCut extends RuntimeException {

		ExportCut(String reason) {
			super(reason, null, false, false);
		}

	}

	private final class Export implements Runnable {

		private final ApiPrincipal caller;

		private final FeedQuery query;

		private final FeedExportController.Format format;

		private final String filename;

		private final HttpServletResponse response;

		private final OpenResponses.Lease lease;

		private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK_BYTES + 4096);

		private final Writer writer = new OutputStreamWriter(this.chunk, StandardCharsets.UTF_8);

		private final long startedNanos = System.nanoTime();

		private volatile NonBlockingResponse out;

		private volatile boolean revoked;

		private boolean started;

		Export(ApiPrincipal caller, FeedQuery query, FeedExportController.Format format, String filename,
				HttpServletResponse response, OpenResponses.Lease lease) {
			this.caller = caller;
			this.query = query;
			this.format = format;
			this.filename = filename;
			this.response = response;
			this.lease = lease;
		}

		void revoke() {
			this.revoked = true;
			this.out.abort();
		}

		@Override
		public void run() {
			try {
				if (this.format == FeedExportController.Format.CSV) {
					this.writer.write(CsvCells.row((Object[]) FeedExportController.CSV_HEADER));
				}
				FeedExports.this.snapshot.executeWithoutResult((status) -> {
					FeedExports.this.feed.stream(this.caller.tenantId(), this.query, this::write);
					send();
				});
				finish();
			}
			catch (ExportCut ex) {
				log.info("Export to tenant {} cut off: {}", this.caller.tenantId(), ex.getMessage());
				this.out.abort();
			}
			catch (DataAccessException | TransactionException ex) {
				log.error("Export to tenant {} failed: the database is unavailable", this.caller.tenantId(), ex);
				fail(ApiError.of(503, "The database is unavailable. Wait a moment and try again."));
			}
			catch (IOException | RuntimeException ex) {
				log.error("Export to tenant {} failed", this.caller.tenantId(), ex);
				fail(ApiError.of(500,
						"Internal error. Wait a moment and try again. If the issue persists, contact your operator."));
			}
			finally {
				this.lease.close();
			}
		}

		private void write(FeedItem item) {
			FeedExports.this.metrics.rowExported(this.format);
			try {
				if (this.format == FeedExportController.Format.CSV) {
					this.writer.write(CsvCells.row(item.sessionId(), item.deviceId(), item.deviceName(),
							item.deviceAlias(), item.deviceState(), item.state(), item.videoQuality(), item.reason(),
							item.duration(), item.createdBy(), item.updatedBy(), item.createdAt(), item.updatedAt(),
							item.startedAt(), item.endedAt()));
				}
				else {
					this.writer.write(FeedExports.this.json.writeValueAsString(item));
					this.writer.write('\n');
				}
				// the writer's own buffer into the chunk, so that its size is known
				this.writer.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			if (this.chunk.size() >= CHUNK_BYTES) {
				send();
			}
		}

		/**
		 * Hands the chunk to the client once it can take it, within the write deadline.
		 */
		private void send() {
			try {
				this.writer.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			if (this.revoked) {
				throw new ExportCut("its API key was revoked");
			}
			if (Duration.ofNanos(System.nanoTime() - this.startedNanos)
				.compareTo(FeedExports.this.properties.maxDuration()) > 0) {
				throw new ExportCut("it ran longer than " + FeedExports.this.properties.maxDuration());
			}
			if (!this.started) {
				this.started = true;
				this.response.setContentType(this.format.contentType);
				this.response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
						ContentDisposition.attachment().filename(this.filename).build().toString());
			}
			awaitClient();
			if (!this.out.write(this.chunk.toByteArray())) {
				throw new ExportCut("the client went away");
			}
			this.chunk.reset();
		}

		private void awaitClient() {
			try {
				if (!this.out.awaitWritable(FeedExports.this.properties.writeDeadline())) {
					throw new ExportCut(
							this.revoked ? "its API key was revoked" : this.out.ended() ? "the client went away"
									: "its client took nothing for " + FeedExports.this.properties.writeDeadline());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new ExportCut("the service is stopping");
			}
		}

		/** Sends what the client has not yet taken, then ends the response. */
		private void finish() {
			awaitClient();
			this.out.flush();
			awaitClient();
			this.out.complete();
		}

		/** Answers the error if nothing was sent yet; else cuts the export off. */
		private void fail(ApiError error) {
			if (this.started) {
				this.out.abort();
				return;
			}
			this.response.setStatus(error.status());
			this.response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			try {
				awaitClient();
				if (this.out.write(FeedExports.this.json.writeValueAsBytes(error))) {
					this.out.complete();
					return;
				}
			}
			catch (ExportCut ex) {
				// the client is not taking the error either
			}
			this.out.abort();
		}

	}

}
