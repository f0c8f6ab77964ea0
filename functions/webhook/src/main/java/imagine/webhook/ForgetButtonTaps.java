package imagine.webhook;

import imagine.core.Job;
import imagine.core.Task;
import imagine.core.Texts;
import imagine.core.telegram.CallbackQuery;
import imagine.core.telegram.Message;
import java.util.List;

/**
 * Taps on the buttons of {@code /forget}: "delete" is one job for a worker, which deletes what the bot keeps about the
 * user who tapped ({@link Task#FORGET}, its id derived from the tap's update so a redelivered tap is the same job);
 * "keep" deletes nothing. Either way the message loses its buttons and says what happens.
 */
final class ForgetButtonTaps {
    static final String DELETE = "yes";
    static final String KEEP = "no";

    Answer answer(long updateId, CallbackQuery query, ButtonData data, Texts texts) {
        long userId = query.from().id();
        if (data.owner() != userId) {
            return Answer.reply(AnswerCallbackQuery.toast(query.id(), texts.get("forget_not_yours")));
        }
        Message message = query.message();
        if (data.value().equals(KEEP)) {
            return new Answer(List.of(), AnswerCallbackQuery.toast(query.id(), texts.get("forget_kept")),
                    MessageEdit.text(message.chat().id(), message.messageId(), texts.get("forget_kept.message")));
        }
        Job forget = Job.builder().jobId(Job.taskIdFor(updateId, Task.FORGET))
                .replyingTo(message.chat().id(), message.messageId()).user(userId, texts.language())
                .task(Task.FORGET).build();
        return new Answer(List.of(forget), AnswerCallbackQuery.toast(query.id(), texts.get("forget_started")),
                MessageEdit.text(message.chat().id(), message.messageId(), texts.get("forget_deleting")));
    }
}
