package io.seatkeeper.directory;

import java.util.ArrayList;
import java.util.List;

import io.seatkeeper.directory.DirectoryRunView.RunError;
import io.seatkeeper.people.DirectoryChanges;
import io.seatkeeper.people.DirectoryChanges.DirectoryError;

/**
 * The counts of one run, added up step by step.
 */
final class RunReport {

	private int entriesRead;

	private int createdActive;

	private int createdAwaiting;

	private int activated;

	private int updated;

	private int blockedDisabled;

	private int blockedRemoved;

	private int unchanged;

	private int leftAwaiting;

	private int wouldBlock;

	private int managed;

	private int excluded;

	private int rehired;

	private int moved;

	private final List<RunError> errors = new ArrayList<>();

	void add(DirectoryChanges changes) {
		this.createdActive += changes.createdActive();
		this.createdAwaiting += changes.createdAwaiting();
		this.activated += changes.activated();
		this.updated += changes.updated();
		this.blockedDisabled += changes.blockedDisabled();
		this.blockedRemoved += changes.blockedRemoved();
		this.moved += changes.moved();
		for (DirectoryError error : changes.errors()) {
			error(error.dn(), error.code(), error.argument());
		}
	}

	void error(String dn, String code, String value) {
		this.errors.add(new RunError(dn, code, value));
	}

	void entriesRead(int count) {
		this.entriesRead = count;
	}

	void activated(int count) {
		this.activated += count;
	}

	void unchanged(int count) {
		this.unchanged = count;
	}

	void leftAwaiting(int count) {
		this.leftAwaiting = count;
	}

	void wouldBlock(int count) {
		this.wouldBlock = count;
	}

	void managed(int count) {
		this.managed = count;
	}

	/** One more entry in scope skipped because it is on the exclusion list. */
	void excluded() {
		this.excluded++;
	}

	void rehired(int count) {
		this.rehired = count;
	}

	int rehired() {
		return this.rehired;
	}

	int moved() {
		return this.moved;
	}

	int excludedCount() {
		return this.excluded;
	}

	int entriesRead() {
		return this.entriesRead;
	}

	int createdActive() {
		return this.createdActive;
	}

	int createdAwaiting() {
		return this.createdAwaiting;
	}

	int activated() {
		return this.activated;
	}

	int updated() {
		return this.updated;
	}

	int blockedDisabled() {
		return this.blockedDisabled;
	}

	int blockedRemoved() {
		return this.blockedRemoved;
	}

	int unchanged() {
		return this.unchanged;
	}

	int leftAwaiting() {
		return this.leftAwaiting;
	}

	int wouldBlock() {
		return this.wouldBlock;
	}

	int managed() {
		return this.managed;
	}

	List<RunError> errors() {
		return this.errors;
	}

}
