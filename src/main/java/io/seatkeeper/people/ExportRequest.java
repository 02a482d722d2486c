package io.seatkeeper.people;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a people export holds: the columns, the filters, and whether it starts with a
 * byte-order mark for Excel.
 *
 * @param columns the columns, in {@link ExportColumn} order
 * @param areaId only profiles of this area, when not {@code null}
 * @param state only profiles in this state, when not {@code null}
 * @param forExcel whether the file starts with a UTF-8 byte-order mark
 */
public record ExportRequest(Set<ExportColumn> columns, Long areaId, StateFilter state, boolean forExcel) {

	public ExportRequest {
		columns = columns.isEmpty() ? EnumSet.noneOf(ExportColumn.class) : EnumSet.copyOf(columns);
	}

	/**
	 * The columns in file order.
	 */
	public List<ExportColumn> orderedColumns() {
		return List.copyOf(this.columns);
	}

}
