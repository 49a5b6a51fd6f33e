package io.rvfeed.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies that Spring reads (the admin API) are as strict as the write API's: a
 * number, boolean or array where text belongs is an error, not text (see also the
 * {@code spring.jackson} settings in application.yaml), and so is text with an unpaired
 * surrogate, which would otherwise be stored as {@code ?}.
 */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

	@Bean
	JsonMapperBuilderCustomizer strictText() {
		return (builder) -> builder
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.addModule(new SimpleModule("well-formed-text").setDeserializerModifier(new ValueDeserializerModifier() {

				@Override
				public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
						BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
					return (description.getBeanClass() == String.class) ? new WellFormedString(deserializer)
							: deserializer;
				}

			}));
	}

	/** Refuses a string with an unpaired surrogate. */
	static final class WellFormedString extends DelegatingDeserializer {

		WellFormedString(ValueDeserializer<?> delegate) {
			super(delegate);
		}

		@Override
		protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
			return new WellFormedString(delegate);
		}

		@Override
		public Object deserialize(JsonParser parser, DeserializationContext context) {
			Object value = super.deserialize(parser, context);
			if (value instanceof String text && UnicodeText.unpairedSurrogateAt(text) >= 0) {
				throw InvalidFormatException.from(parser, "unpaired surrogate", text, String.class);
			}
			return value;
		}

	}

}
