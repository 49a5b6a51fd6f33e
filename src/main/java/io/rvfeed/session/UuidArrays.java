package io.rvfeed.session;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.UUID;

import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.conf.ParamType;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * {@code uuid[]} bind values sent as typed arrays. jOOQ sends an array as text cast to
 * the array type, a cast PostgreSQL evaluates again wherever it appears: in a filter
 * {@code session_id = any(...)} it would parse the whole array once for every row looked
 * at (seconds for a batch's thousand ids), where a typed array is read once.
 */
final class UuidArrays {

	private static final DataType<UUID[]> TYPE = SQLDataType.UUID.array()
		.asConvertedDataType(Binding.of(Converter.ofNullable(UUID[].class, UUID[].class, (v) -> v, (v) -> v),
				UuidArrays::sql, UuidArrays::get, UuidArrays::set));

	private UuidArrays() {
	}

	static Field<UUID[]> of(Collection<UUID> ids) {
		return of(ids.toArray(UUID[]::new));
	}

	static Field<UUID[]> of(UUID[] ids) {
		return DSL.val(ids, TYPE);
	}

	private static void set(BindingSetStatementContext<UUID[]> ctx) {
		try {
			if (ctx.value() == null) {
				ctx.statement().setNull(ctx.index(), Types.ARRAY);
			}
			else {
				ctx.statement()
					.setArray(ctx.index(), ctx.statement().getConnection().createArrayOf("uuid", ctx.value()));
			}
		}
		catch (SQLException ex) {
			throw new DataAccessException("Could not bind a uuid[]", ex);
		}
	}

	private static void get(BindingGetResultSetContext<UUID[]> ctx) {
		try {
			Array array = ctx.resultSet().getArray(ctx.index());
			ctx.value((array != null) ? (UUID[]) array.getArray() : null);
		}
		catch (SQLException ex) {
			throw new DataAccessException("Could not read a uuid[]", ex);
		}
	}

	private static void sql(BindingSQLContext<UUID[]> ctx) {
		if (ctx.render().paramType() == ParamType.INLINED) {
			// as logged and as the benchmark's inlined SQL shows it
			ctx.render().visit(DSL.inline(ctx.value(), SQLDataType.UUID.array()));
		}
		else {
			ctx.render().sql(ctx.variable()).sql("::uuid[]");
		}
	}

}
