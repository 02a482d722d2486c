package io.seatkeeper.people;

/**
 * The built-in administrator can be neither blocked, moved, deleted nor stripped of its
 * roles.
 */
public class BuiltInAdministratorProtected extends PeopleRefusal {

	public BuiltInAdministratorProtected() {
		super("profile.builtIn.protected", "The built-in administrator cannot be changed this way");
	}

}
