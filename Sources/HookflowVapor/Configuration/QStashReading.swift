/// The QStash settings an environment gives, or what keeps them from working.
struct QStashReading: Sendable {
    /// `nil` when a required variable is missing or a number of seconds is wrong.
    var settings: QStashSettings?
    /// The required variables that are unset or empty.
    var missing: [String]
    /// Every problem, each naming its variable: the missing variables first, then the wrong values.
    var problems: [HookflowConfigurationError]
}
