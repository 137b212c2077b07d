import Hookflow
import XCTest

struct ProcessOrder: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON { .null }
}

struct HTTPSyncJob: Workflow {
    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON { .null }
}

struct Named: Workflow {
    static let id = "custom-name"
    func run(_ ctx: WorkflowContext<JSON>) async throws -> JSON { .null }
}

final class WorkflowIDTests: XCTestCase {
    func testDefaultIDIsTheTypeNameInKebabCase() {
        XCTAssertEqual(ProcessOrder.id, "process-order")
        XCTAssertEqual(HTTPSyncJob.id, "http-sync-job")
    }

    func testDeclaredIDWins() {
        XCTAssertEqual(Named.id, "custom-name")
    }

    func testRegistryListsRegisteredIDs() {
        var registry = WorkflowRegistry()
        registry.register(Named())
        registry.register(ProcessOrder())
        XCTAssertEqual(registry.ids, ["custom-name", "process-order"])
    }
}
