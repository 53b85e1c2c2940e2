"""Events: polling, a handler on the network thread, exceptions raised by handlers."""

import logging
import threading

import pytest

import messenger
from conftest import WAIT, message_with_text, wait_for


@pytest.fixture
def pair(new_user):
    """alice and bob with a direct chat that bob has heard of."""
    alice, _ = new_user("alice")
    bob, bob_user = new_user("bob")
    # Caught up first: a chat opened while bob still syncs comes before his final "connected",
    # which would then be left over for the tests to read.
    wait_for(bob, lambda e: isinstance(e, messenger.ConnectionEvent)
             and e.state == messenger.ConnectionState.connected)
    chat = alice.open_direct_chat(bob_user.id)
    wait_for(bob, lambda e: isinstance(e, messenger.ChatEvent))
    return alice, bob, chat


class Collector:
    """A handler that records each event and the thread it ran on."""

    def __init__(self, fail_on=None):
        self.events = []
        self.threads = set()
        self.fail_on = fail_on
        self.changed = threading.Condition()

    def __call__(self, event):
        with self.changed:
            self.threads.add(threading.get_ident())
            self.events.append(event)
            self.changed.notify_all()
        if self.fail_on and isinstance(event, messenger.MessageEvent) \
                and event.message.text == self.fail_on:
            raise ValueError(f"refusing {self.fail_on}")

    def texts(self):
        return [e.message.text for e in self.events if isinstance(e, messenger.MessageEvent)]

    def wait_for_text(self, text):
        with self.changed:
            assert self.changed.wait_for(lambda: text in self.texts(), timeout=WAIT), self.events


def test_poll_event_returns_none_when_nothing_comes(pair):
    _, bob, _ = pair
    assert bob.poll_event(0.05) is None
    assert bob.poll_event() is None


def test_the_handler_gets_events_on_the_network_thread(pair):
    alice, bob, chat = pair
    collector = Collector()
    bob.set_event_handler(collector)
    alice.send_message(chat.id, "to the handler")
    collector.wait_for_text("to the handler")
    assert threading.get_ident() not in collector.threads
    assert bob.poll_event(0.05) is None


def test_events_queued_before_the_handler_go_to_it_first_in_order(pair):
    alice, bob, chat = pair
    for text in ("one", "two", "three"):
        alice.send_message(chat.id, text)
    collector = Collector()
    bob.set_event_handler(collector)
    collector.wait_for_text("three")
    assert collector.texts() == ["one", "two", "three"]


def test_an_exception_in_the_handler_is_logged_kept_and_events_go_on(pair, caplog):
    alice, bob, chat = pair
    collector = Collector(fail_on="bad")
    bob.set_event_handler(collector)
    alice.send_message(chat.id, "bad")
    alice.send_message(chat.id, "good")
    collector.wait_for_text("good")
    error = bob.last_handler_error()
    assert isinstance(error, ValueError) and str(error) == "refusing bad"
    logged = [r for r in caplog.records if r.name == "messenger" and r.levelno == logging.ERROR]
    assert logged and logged[0].exc_info[1] is error
    assert bob.find_user("alice").name == "alice"


def test_a_blocking_request_from_the_handler_raises_instead_of_hanging(pair):
    alice, bob, chat = pair
    answered = threading.Event()

    def handler(event):
        if isinstance(event, messenger.MessageEvent):
            try:
                bob.send_message(chat.id, "from the handler")
            finally:
                answered.set()

    bob.set_event_handler(handler)
    alice.send_message(chat.id, "ping")
    assert answered.wait(WAIT)
    assert isinstance(bob.last_handler_error(), RuntimeError)
    assert "event handler" in str(bob.last_handler_error())
    bob.set_event_handler(None)


def test_removing_the_handler_brings_events_back_to_poll_event(pair):
    alice, bob, chat = pair
    collector = Collector()
    bob.set_event_handler(collector)
    alice.send_message(chat.id, "handled")
    collector.wait_for_text("handled")
    bob.set_event_handler(None)
    alice.send_message(chat.id, "polled")
    wait_for(bob, message_with_text("polled"))
    assert "polled" not in collector.texts()


def test_a_handler_must_be_callable(pair):
    _, bob, _ = pair
    with pytest.raises(TypeError):
        bob.set_event_handler(42)


def test_closing_drops_the_handler_and_its_references(pair):
    alice, bob, chat = pair
    collector = Collector()
    bob.set_event_handler(collector)
    alice.send_message(chat.id, "before close")
    collector.wait_for_text("before close")
    import sys
    references = sys.getrefcount(collector)
    bob.close()
    assert sys.getrefcount(collector) == references - 1
    bob.set_event_handler(None)  # harmless once closed
