package io.rvfeed.lifecycle;

import org.springframework.stereotype.Service;

/** Placeholder until retention lands: purges nothing. */
@Service
class RetentionPurge {

	void purgeAll() {
	}

}
