package io.seatkeeper.directory;

import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * What other modules may read of the directory sync: whether a directory is set up, and
 * the latest run's outcome.
 */
@Service
public class DirectoryOverview {

	private final DirectorySettingsStore settings;

	private final DirectoryRuns runs;

	DirectoryOverview(DirectorySettingsStore settings, DirectoryRuns runs) {
		this.settings = settings;
		this.runs = runs;
	}

	/**
	 * Whether a directory is set up (its URL and base DN are known).
	 */
	public boolean configured() {
		return this.settings.current().configured();
	}

	/**
	 * The latest run, by start, if any has run.
	 */
	public Optional<LastDirectorySync> lastSync() {
		return this.runs.recent(1).stream().findFirst().map(LastDirectorySync::of);
	}

}
