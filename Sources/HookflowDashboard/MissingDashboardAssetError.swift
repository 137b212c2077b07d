/// The dashboard's stylesheet or script is not among the resources next to the binary.
package struct MissingDashboardAssetError: Error, CustomStringConvertible {
    package let file: String
    package var description: String {
        "the dashboard's \(file) is missing: copy hookflow_HookflowDashboard.resources next to the binary"
    }
}
