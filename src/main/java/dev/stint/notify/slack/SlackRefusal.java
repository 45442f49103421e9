package dev.stint.notify.slack;

/** Why a click was turned away: for the audit ({@code reason}), and for the clicker. */
record SlackRefusal(String reason, String message) {}
