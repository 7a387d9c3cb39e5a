package dev.stockade.compiler;

import dev.stockade.events.v1.DeadLetterRecord;
import dev.stockade.events.v1.WireJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record that could not be decoded, as a {@link DeadLetterRecord}. */
final class DeadLetters {

    private DeadLetters() {
    }

    static byte[] encode(ConsumerRecord<String, byte[]> record, String reason) {
        String text = null;
        boolean base64 = false;
        if (record.value() != null) {
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(record.value())).toString();
            } catch (CharacterCodingException e) {
                text = Base64.getEncoder().encodeToString(record.value());
                base64 = true;
            }
        }
        return WireJson.encode(new DeadLetterRecord(DeadLetterRecord.VERSION, record.topic(), record.partition(),
                record.offset(), reason, record.key(), text, base64));
    }
}
