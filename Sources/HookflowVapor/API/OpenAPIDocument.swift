import Foundation
import Vapor

/// The OpenAPI 3.1 document of Hookflow's JSON API, served by ``Application/Hookflow/mountAPI(on:)``
/// at `GET …api/openapi.json`. Kept by hand beside the routes it describes: `OpenAPIDocumentTests`
/// holds its paths to the routes mounted, and `scripts/api-fuzz` (schemathesis) holds every answer
/// of the demo's API to it.
///
/// A Swift literal rather than a bundled resource: no `Bundle.module` lookup to fail on Linux,
/// and the document ships inside the library.
enum OpenAPIDocument {
    /// `GET …api/openapi.json`: the document, with what depends on this instance filled in.
    static func response(for request: Request, guarded: Bool) throws -> Response {
        let response = Response(status: .ok)
        response.headers.contentType = .json
        response.body = .init(string: try text(server: serverPath(of: request), guarded: guarded))
        return response
    }

    /// The document with `server` as its one server (the paths are relative to it) and, when
    /// `guarded` (`HOOKFLOW_API_TOKEN` is set), the bearer requirement on every operation that
    /// does not lift it (the document's own).
    static func text(server: String, guarded: Bool) throws -> String {
        let url = try APIJSON.text(server)
        var head = #"{"servers":[{"url":"# + url + "}],"
        if guarded { head += #""security":[{"bearer":[]}],"# }
        // What depends on the instance goes first inside the document's opening brace.
        return head + String(body.drop(while: { $0 != "{" }).dropFirst())
    }

    /// Where the API answers: `/hookflow/api` for a request of `/hookflow/api/openapi.json`. The
    /// request's own path, so a prefix of the app's route group (or a parameter in it) is included.
    static func serverPath(of request: Request) -> String {
        "/" + request.url.path.split(separator: "/").dropLast().joined(separator: "/")
    }

    /// The document without `servers` and `security`, which depend on how the app mounted the API.
    static let body = ##"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Hookflow operator API",
        "version": "1.0.0",
        "summary": "Runs, workflows, schedules and dead letters of a Hookflow app.",
        "description": "Mounted by `app.hookflow.mountAPI(on:)` under `{HOOKFLOW_WEBHOOK_PATH}api/` (`/hookflow/api/`); `servers` names where this instance mounted it. With `HOOKFLOW_API_TOKEN` set, every operation but this document's needs `Authorization: Bearer <token>` (the served document then carries the `bearer` requirement); otherwise the app's own authentication guards it. Runs carry their inputs and results, schedules their inputs.\n\nEvery answer is JSON. An error is `{\"error\": {\"code\": \"…\", \"message\": \"…\"}}`: the code stays the same across releases, the message names the bad value (`limit \"0\" must be a whole number from 1 to 1000`). Times are UTC in ISO 8601 (`2026-11-25T20:11:57.083Z`). An id is 1 to 512 bytes of UTF-8 without NUL; an id no run could have is simply not found."
      },
      "tags": [
        {"name": "runs", "description": "Workflow runs: listed, read, retried, re-run, forked and cancelled."},
        {"name": "workflows", "description": "Workflows with their runs by status, and triggering a run."},
        {"name": "schedules", "description": "Recurring starts of workflows: listed, created or changed, paused, resumed, fired now and deleted."},
        {"name": "dead-letters", "description": "The failures of runs that failed: listed, read, replayed and deleted."},
        {"name": "meta", "description": "This document."}
      ],
      "paths": {
        "/openapi.json": {
          "get": {
            "operationId": "getOpenAPIDocument",
            "tags": ["meta"],
            "summary": "This OpenAPI document",
            "description": "Served without the bearer token: it describes the routes and holds no data.",
            "security": [],
            "responses": {
              "200": {
                "description": "The OpenAPI 3.1 document of this API, with `servers` naming where it is mounted.",
                "content": {
                  "application/json": {
                    "schema": {
                      "type": "object",
                      "required": ["openapi", "info", "paths", "servers"],
                      "properties": {
                        "openapi": {"type": "string", "const": "3.1.0"},
                        "info": {"type": "object"},
                        "paths": {"type": "object"},
                        "servers": {"type": "array", "minItems": 1}
                      }
                    }
                  }
                }
              }
            }
          }
        },
        "/runs": {
          "get": {
            "operationId": "listRuns",
            "tags": ["runs"],
            "summary": "List runs, newest first",
            "description": "A page of the runs that match every filter given, newest first, each without its steps. Pass `next_cursor` as `cursor` (with the same filters) for the next page; a page never skips or repeats a run, however many are created meanwhile.",
            "parameters": [
              {"$ref": "#/components/parameters/WorkflowFilter"},
              {
                "name": "status",
                "in": "query",
                "description": "Only runs in one of these statuses (`pending`, `queued`, `running`, `sleeping`, `completed`, `failed`, `cancelled`), comma-separated: `failed,sleeping`.",
                "style": "form",
                "explode": false,
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/RunStatus"}}
              },
              {"name": "since", "in": "query", "description": "Only runs created at or after this time.", "schema": {"type": "string", "format": "date-time"}},
              {"name": "until", "in": "query", "description": "Only runs created before this time.", "schema": {"type": "string", "format": "date-time"}},
              {"name": "updated_since", "in": "query", "description": "Only runs last updated at or after this time.", "schema": {"type": "string", "format": "date-time"}},
              {"name": "updated_until", "in": "query", "description": "Only runs last updated before this time.", "schema": {"type": "string", "format": "date-time"}},
              {"name": "prefix", "in": "query", "description": "Only runs whose id starts with this (an id's bytes: at most 512, no NUL).", "schema": {"type": "string"}},
              {"name": "parent_run_id", "in": "query", "description": "Only the children of this run (those it started with `invoke` or `start`).", "schema": {"type": "string"}},
              {"name": "schedule", "in": "query", "description": "Only the runs this schedule started, at its ticks or fired now.", "schema": {"type": "string"}},
              {"$ref": "#/components/parameters/Cursor"},
              {"$ref": "#/components/parameters/Limit"}
            ],
            "responses": {
              "200": {
                "description": "A page of runs.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunList"}}},
                "links": {"GetRun": {"$ref": "#/components/links/GetFirstListedRun"}}
              },
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          }
        },
        "/runs/{run_id}": {
          "get": {
            "operationId": "getRun",
            "tags": ["runs"],
            "summary": "One run and its steps",
            "description": "The run with its steps in execution order, `steps_limit` at a time: pass `next_steps_cursor` as `steps_cursor` for the steps that follow.",
            "parameters": [
              {"$ref": "#/components/parameters/RunID"},
              {
                "name": "steps_limit",
                "in": "query",
                "description": "How many steps to answer, 1 to 1,000.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}
              },
              {
                "name": "steps_cursor",
                "in": "query",
                "description": "A `next_steps_cursor` this API answered, for the steps after it.",
                "schema": {"type": "string"}
              }
            ],
            "responses": {
              "200": {
                "description": "The run and a page of its steps.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}},
                "links": {
                  "RetryRun": {"$ref": "#/components/links/RetryRun"},
                  "RerunRun": {"$ref": "#/components/links/RerunRun"},
                  "ForkRun": {"$ref": "#/components/links/ForkRun"},
                  "CancelRun": {"$ref": "#/components/links/CancelRun"}
                }
              },
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/RunNotFound"}
            }
          }
        },
        "/runs/{run_id}/retry": {
          "post": {
            "operationId": "retryRun",
            "tags": ["runs"],
            "summary": "Resume a failed run from its failed step",
            "description": "The failed run resumes from the step that failed, with fresh attempts; its dead letter is marked replayed. Of concurrent retries of one run, exactly one resumes it; the others are 409.",
            "parameters": [{"$ref": "#/components/parameters/RunID"}],
            "responses": {
              "200": {"$ref": "#/components/responses/RunnableRun"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/RunNotFound"},
              "409": {"$ref": "#/components/responses/InvalidState"}
            }
          }
        },
        "/runs/{run_id}/rerun": {
          "post": {
            "operationId": "rerunRun",
            "tags": ["runs"],
            "summary": "Start a new run with the same workflow and input",
            "parameters": [{"$ref": "#/components/parameters/RunID"}],
            "responses": {
              "200": {"$ref": "#/components/responses/RunnableRun"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {
                "description": "`run_not_found`: no such run; `unknown_workflow`: its workflow is not registered in this instance.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunOrWorkflowNotFoundError"}}}
              },
              "409": {"$ref": "#/components/responses/RunIDConflict"}
            }
          }
        },
        "/runs/{run_id}/fork": {
          "post": {
            "operationId": "forkRun",
            "tags": ["runs"],
            "summary": "Start a new run from a step of this one",
            "description": "A new run of the same workflow and input that keeps the checkpoints recorded before `from_step` and executes from that step. It is scheduled at once, so the answer may already hold the step it re-executes.",
            "parameters": [{"$ref": "#/components/parameters/RunID"}],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ForkRequest"}}}
            },
            "responses": {
              "200": {"$ref": "#/components/responses/RunnableRun"},
              "400": {"$ref": "#/components/responses/InvalidRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {
                "description": "`run_not_found`: no such run; `step_not_found`: the run has no step `from_step`; `unknown_workflow`: its workflow is not registered in this instance.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ForkNotFoundError"}}}
              },
              "409": {"$ref": "#/components/responses/RunIDConflict"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/EmptyBody"}
            }
          }
        },
        "/runs/{run_id}/cancel": {
          "post": {
            "operationId": "cancelRun",
            "tags": ["runs"],
            "summary": "Cancel a run that has not finished",
            "description": "Ends a run that has not finished: its status becomes `cancelled`. A run that has finished (completed, failed or cancelled) is 409 `invalid_state`.",
            "parameters": [{"$ref": "#/components/parameters/RunID"}],
            "responses": {
              "200": {"$ref": "#/components/responses/RunnableRun"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/RunNotFound"},
              "409": {"$ref": "#/components/responses/InvalidState"}
            }
          }
        },
        "/workflows": {
          "get": {
            "operationId": "listWorkflows",
            "tags": ["workflows"],
            "summary": "Workflows and their runs by status",
            "description": "Every workflow registered in this instance, and any other that has runs (a workflow of another release), sorted by id.",
            "responses": {
              "200": {
                "description": "The workflows.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/WorkflowList"}}},
                "links": {"TriggerRun": {"$ref": "#/components/links/TriggerFirstListedWorkflow"}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          }
        },
        "/workflows/{workflow_id}/runs": {
          "post": {
            "operationId": "triggerRun",
            "tags": ["workflows"],
            "summary": "Trigger a run with JSON input",
            "description": "Starts a run of the workflow with `input`, checked against the workflow's input type before anything is stored. With a `run_id` of the caller's the call is idempotent: the same id with the same input answers that run again; with other input it is 409. With a `concurrency_key`, or for a workflow with a `concurrency` limit, a run beyond the limit is committed as `queued` and admitted (`pending`) when a slot frees, higher `priority` first.",
            "parameters": [
              {
                "name": "workflow_id",
                "in": "path",
                "required": true,
                "description": "The id the workflow is registered with.",
                "schema": {"type": "string", "minLength": 1}
              }
            ],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TriggerRequest"}}}
            },
            "responses": {
              "201": {
                "description": "The run, committed (`queued` while it waits for a concurrency slot; otherwise possibly already executing).",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}},
                "links": {
                  "GetRun": {"$ref": "#/components/links/GetRun"},
                  "CancelRun": {"$ref": "#/components/links/CancelRun"},
                  "RerunRun": {"$ref": "#/components/links/RerunRun"}
                }
              },
              "400": {
                "description": "`invalid_body`: the body is not the JSON this route takes; `invalid_parameter`: a value in it cannot be used (a `run_id` or `concurrency_key` that is empty, holds a NUL or is over 512 bytes, a `priority` out of -10000 to 10000), named with its value; `bad_request`: the request could not be read.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvalidRequestError"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {
                "description": "`unknown_workflow`: no workflow is registered with this id.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UnknownWorkflowError"}}}
              },
              "409": {"$ref": "#/components/responses/RunIDConflict"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {
                "description": "`invalid_input`: `input` is not the workflow's input type (the message says what is wrong where); `bad_request`: the request has no body.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UnprocessableError"}}}
              }
            }
          }
        },
        "/schedules": {
          "get": {
            "operationId": "listSchedules",
            "tags": ["schedules"],
            "summary": "List schedules, by name",
            "responses": {
              "200": {
                "description": "Every schedule, by name.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScheduleList"}}},
                "links": {
                  "GetSchedule": {"$ref": "#/components/links/GetFirstListedSchedule"},
                  "TriggerSchedule": {"$ref": "#/components/links/TriggerFirstListedSchedule"}
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "post": {
            "operationId": "saveSchedule",
            "tags": ["schedules"],
            "summary": "Create a schedule, or change the one of that name",
            "description": "Creates the schedule, or changes the one of that name in place: an unchanged cron expression or interval keeps its next fire time, a changed one fires next at its first tick from now; a paused schedule stays paused. Its workflow must be registered in this instance, and `input` is checked against the workflow's input type before anything is stored.",
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScheduleRequest"}}}
            },
            "responses": {
              "200": {"$ref": "#/components/responses/ScheduleState"},
              "201": {
                "description": "The schedule, created.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Schedule"}}},
                "links": {
                  "GetSchedule": {"$ref": "#/components/links/GetSchedule"},
                  "PauseSchedule": {"$ref": "#/components/links/PauseSchedule"},
                  "ResumeSchedule": {"$ref": "#/components/links/ResumeSchedule"},
                  "TriggerSchedule": {"$ref": "#/components/links/TriggerSchedule"},
                  "DeleteSchedule": {"$ref": "#/components/links/DeleteSchedule"}
                }
              },
              "400": {
                "description": "`invalid_parameter`: a value cannot be used (the name, `workflow_id`, the cron expression, the time zone, the interval, a policy or the grace period, or not exactly one of `cron` and `every_seconds`), named with its value; `invalid_body`: the body is not the JSON this route takes; `bad_request`: the request could not be read.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvalidRequestError"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {
                "description": "`unknown_workflow`: no workflow is registered with `workflow_id`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UnknownWorkflowError"}}}
              },
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {
                "description": "`invalid_input`: `input` is not the workflow's input type (the message says what is wrong where); `bad_request`: the request has no body.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UnprocessableError"}}}
              }
            }
          }
        },
        "/schedules/{name}": {
          "get": {
            "operationId": "getSchedule",
            "tags": ["schedules"],
            "summary": "One schedule",
            "parameters": [{"$ref": "#/components/parameters/ScheduleName"}],
            "responses": {
              "200": {"$ref": "#/components/responses/ScheduleState"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/ScheduleNotFound"}
            }
          },
          "delete": {
            "operationId": "deleteSchedule",
            "tags": ["schedules"],
            "summary": "Delete a schedule",
            "description": "Deletes the schedule: it fires no more. The runs it started are kept.",
            "parameters": [{"$ref": "#/components/parameters/ScheduleName"}],
            "responses": {
              "204": {
                "description": "Deleted.",
                "links": {"GetSchedule": {"operationId": "getSchedule", "parameters": {"name": "$request.path.name"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/ScheduleNotFound"}
            }
          }
        },
        "/schedules/{name}/pause": {
          "post": {
            "operationId": "pauseSchedule",
            "tags": ["schedules"],
            "summary": "Pause a schedule",
            "description": "The schedule fires nothing until it is resumed; the ticks that pass meanwhile do not run. Pausing a paused schedule leaves it paused.",
            "parameters": [{"$ref": "#/components/parameters/ScheduleName"}],
            "responses": {
              "200": {"$ref": "#/components/responses/ScheduleState"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/ScheduleNotFound"}
            }
          }
        },
        "/schedules/{name}/resume": {
          "post": {
            "operationId": "resumeSchedule",
            "tags": ["schedules"],
            "summary": "Resume a paused schedule",
            "description": "The schedule fires again from its first tick after now: the ticks that passed while it was paused do not run.",
            "parameters": [{"$ref": "#/components/parameters/ScheduleName"}],
            "responses": {
              "200": {"$ref": "#/components/responses/ScheduleState"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/ScheduleNotFound"}
            }
          }
        },
        "/schedules/{name}/trigger": {
          "post": {
            "operationId": "triggerSchedule",
            "tags": ["schedules"],
            "summary": "Fire a schedule now",
            "description": "Starts a run of the schedule's workflow with its input now, beside its ticks, paused or not; the run's `schedule` names the schedule and its `scheduled_for` is now.",
            "parameters": [{"$ref": "#/components/parameters/ScheduleName"}],
            "responses": {
              "201": {
                "description": "The run, committed (and possibly already executing).",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}},
                "links": {
                  "GetRun": {"$ref": "#/components/links/GetRun"},
                  "CancelRun": {"$ref": "#/components/links/CancelRun"}
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/ScheduleNotFound"}
            }
          }
        },
        "/dead-letters": {
          "get": {
            "operationId": "listDeadLetters",
            "tags": ["dead-letters"],
            "summary": "List dead letters, newest first",
            "parameters": [
              {"$ref": "#/components/parameters/WorkflowFilter"},
              {"name": "run_id", "in": "query", "description": "Only the dead letters of this run.", "schema": {"type": "string"}},
              {"name": "replayed", "in": "query", "description": "Only those replayed (`true`) or not yet (`false`).", "schema": {"type": "boolean"}},
              {"$ref": "#/components/parameters/Cursor"},
              {"$ref": "#/components/parameters/Limit"}
            ],
            "responses": {
              "200": {
                "description": "A page of dead letters.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeadLetterList"}}},
                "links": {
                  "GetDeadLetter": {"$ref": "#/components/links/GetFirstListedDeadLetter"},
                  "ReplayDeadLetter": {"$ref": "#/components/links/ReplayFirstListedDeadLetter"},
                  "DeleteDeadLetter": {"$ref": "#/components/links/DeleteFirstListedDeadLetter"},
                  "RetryRun": {"$ref": "#/components/links/RetryFirstListedDeadLetterRun"}
                }
              },
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          }
        },
        "/dead-letters/{id}": {
          "get": {
            "operationId": "getDeadLetter",
            "tags": ["dead-letters"],
            "summary": "One dead letter",
            "parameters": [{"$ref": "#/components/parameters/DeadLetterID"}],
            "responses": {
              "200": {
                "description": "The dead letter.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeadLetter"}}},
                "links": {
                  "ReplayDeadLetter": {"$ref": "#/components/links/ReplayDeadLetter"},
                  "DeleteDeadLetter": {"$ref": "#/components/links/DeleteDeadLetter"},
                  "GetRun": {"$ref": "#/components/links/GetRun"}
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/DeadLetterNotFound"}
            }
          },
          "delete": {
            "operationId": "deleteDeadLetter",
            "tags": ["dead-letters"],
            "summary": "Delete a dead letter",
            "description": "Deletes the entry only; its run stays as it is.",
            "parameters": [{"$ref": "#/components/parameters/DeadLetterID"}],
            "responses": {
              "204": {
                "description": "Deleted.",
                "links": {"GetDeadLetter": {"operationId": "getDeadLetter", "parameters": {"id": "$request.path.id"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/DeadLetterNotFound"}
            }
          }
        },
        "/dead-letters/{id}/replay": {
          "post": {
            "operationId": "replayDeadLetter",
            "tags": ["dead-letters"],
            "summary": "Resume the dead letter's run from its failed step",
            "description": "The run resumes from the step that failed, with fresh attempts; completed steps are not run again. An entry already replayed, or whose run is no longer failed, is not found.",
            "parameters": [{"$ref": "#/components/parameters/DeadLetterID"}],
            "responses": {
              "200": {"$ref": "#/components/responses/RunnableRun"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {
                "description": "`dead_letter_not_found`: no such entry, already replayed, or its run is not failed; `run_not_found`: its run was deleted meanwhile.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReplayNotFoundError"}}}
              }
            }
          }
        }
      },
      "components": {
        "securitySchemes": {
          "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "`Authorization: Bearer <HOOKFLOW_API_TOKEN>`, required when the app sets `HOOKFLOW_API_TOKEN`."
          }
        },
        "parameters": {
          "RunID": {
            "name": "run_id",
            "in": "path",
            "required": true,
            "description": "The run's id.",
            "schema": {"type": "string", "minLength": 1}
          },
          "DeadLetterID": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The dead letter's id.",
            "schema": {"type": "string", "minLength": 1}
          },
          "ScheduleName": {
            "name": "name",
            "in": "path",
            "required": true,
            "description": "The schedule's name; a name no schedule could have is simply not found.",
            "schema": {"type": "string", "minLength": 1}
          },
          "WorkflowFilter": {
            "name": "workflow",
            "in": "query",
            "description": "Only those of this workflow id.",
            "schema": {"type": "string"}
          },
          "Cursor": {
            "name": "cursor",
            "in": "query",
            "description": "A `next_cursor` this API answered, for the page after it.",
            "schema": {"type": "string"}
          },
          "Limit": {
            "name": "limit",
            "in": "query",
            "description": "How many to answer, 1 to 1,000.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}
          }
        },
        "responses": {
          "RunnableRun": {
            "description": "The run the action leaves (the same run, or the new one), with its steps.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}},
            "links": {"GetRun": {"$ref": "#/components/links/GetRun"}}
          },
          "ScheduleState": {
            "description": "The schedule, as it is now.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Schedule"}}},
            "links": {
              "GetSchedule": {"$ref": "#/components/links/GetSchedule"},
              "PauseSchedule": {"$ref": "#/components/links/PauseSchedule"},
              "ResumeSchedule": {"$ref": "#/components/links/ResumeSchedule"},
              "TriggerSchedule": {"$ref": "#/components/links/TriggerSchedule"},
              "DeleteSchedule": {"$ref": "#/components/links/DeleteSchedule"}
            }
          },
          "InvalidParameter": {
            "description": "`invalid_parameter`: a query parameter cannot be used; the message names it and its value.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvalidParameterError"}}}
          },
          "InvalidRequest": {
            "description": "`invalid_body`: the body is not the JSON this route takes; `invalid_parameter`: a value in it cannot be used (an id that is empty, holds a NUL or is over 512 bytes), named with its value; `bad_request`: the request could not be read.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvalidRequestError"}}}
          },
          "Unauthorized": {
            "description": "`unauthorized`: `HOOKFLOW_API_TOKEN` is set and the request has no `Authorization: Bearer` with it.",
            "headers": {
              "WWW-Authenticate": {"required": true, "description": "`Bearer`.", "schema": {"type": "string"}}
            },
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UnauthorizedError"}}}
          },
          "RunNotFound": {
            "description": "`run_not_found`: no run has this id.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunNotFoundError"}}}
          },
          "DeadLetterNotFound": {
            "description": "`dead_letter_not_found`: no dead letter has this id.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeadLetterNotFoundError"}}}
          },
          "ScheduleNotFound": {
            "description": "`schedule_not_found`: no schedule has this name.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScheduleNotFoundError"}}}
          },
          "InvalidState": {
            "description": "`invalid_state`: the run is not in a status this action takes (a retry of a run that has not failed, a cancel of a run that has finished); the message names its status.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvalidStateError"}}}
          },
          "RunIDConflict": {
            "description": "`run_id_conflict`: a run with this id exists with another workflow or other input.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RunIDConflictError"}}}
          },
          "PayloadTooLarge": {
            "description": "`bad_request`: the body is larger than the app's route body limit (Vapor's `routes.defaultMaxBodySize`, 16 KB unless the app changes it).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BadRequestError"}}}
          },
          "EmptyBody": {
            "description": "`bad_request`: the request has no body.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BadRequestError"}}}
          }
        },
        "links": {
          "GetRun": {"operationId": "getRun", "parameters": {"run_id": "$response.body#/run_id"}},
          "RetryRun": {"operationId": "retryRun", "parameters": {"run_id": "$response.body#/run_id"}},
          "RerunRun": {"operationId": "rerunRun", "parameters": {"run_id": "$response.body#/run_id"}},
          "ForkRun": {"operationId": "forkRun", "parameters": {"run_id": "$response.body#/run_id"}},
          "CancelRun": {"operationId": "cancelRun", "parameters": {"run_id": "$response.body#/run_id"}},
          "GetFirstListedRun": {"operationId": "getRun", "parameters": {"run_id": "$response.body#/runs/0/run_id"}},
          "TriggerFirstListedWorkflow": {"operationId": "triggerRun", "parameters": {"workflow_id": "$response.body#/workflows/0/workflow_id"}},
          "ReplayDeadLetter": {"operationId": "replayDeadLetter", "parameters": {"id": "$response.body#/id"}},
          "DeleteDeadLetter": {"operationId": "deleteDeadLetter", "parameters": {"id": "$response.body#/id"}},
          "GetFirstListedDeadLetter": {"operationId": "getDeadLetter", "parameters": {"id": "$response.body#/dead_letters/0/id"}},
          "ReplayFirstListedDeadLetter": {"operationId": "replayDeadLetter", "parameters": {"id": "$response.body#/dead_letters/0/id"}},
          "DeleteFirstListedDeadLetter": {"operationId": "deleteDeadLetter", "parameters": {"id": "$response.body#/dead_letters/0/id"}},
          "RetryFirstListedDeadLetterRun": {"operationId": "retryRun", "parameters": {"run_id": "$response.body#/dead_letters/0/run_id"}},
          "GetSchedule": {"operationId": "getSchedule", "parameters": {"name": "$response.body#/name"}},
          "PauseSchedule": {"operationId": "pauseSchedule", "parameters": {"name": "$response.body#/name"}},
          "ResumeSchedule": {"operationId": "resumeSchedule", "parameters": {"name": "$response.body#/name"}},
          "TriggerSchedule": {"operationId": "triggerSchedule", "parameters": {"name": "$response.body#/name"}},
          "DeleteSchedule": {"operationId": "deleteSchedule", "parameters": {"name": "$response.body#/name"}},
          "GetFirstListedSchedule": {"operationId": "getSchedule", "parameters": {"name": "$response.body#/schedules/0/name"}},
          "TriggerFirstListedSchedule": {"operationId": "triggerSchedule", "parameters": {"name": "$response.body#/schedules/0/name"}}
        },
        "schemas": {
          "RunStatus": {
            "type": "string",
            "enum": ["pending", "queued", "running", "sleeping", "completed", "failed", "cancelled"],
            "description": "`pending`: waiting for a worker; `queued`: committed and waiting for a concurrency slot (the workflow's `concurrency`, or `concurrencyPerKey` of its `concurrency_key`); admitted, it becomes `pending`; `running`: a worker is executing it; `sleeping`: suspended until `wake_at` (a durable sleep or a retry back-off); `completed`: finished with `result`; `failed`: finished with `error_message` and a dead letter; `cancelled`: cancelled before it finished."
          },
          "StepKind": {
            "type": "string",
            "enum": ["run", "sleep", "call", "wait", "child", "version"],
            "description": "`run`: a closure whose result is checkpointed; `sleep`: a durable timer; `call`: a durable HTTP request; `wait`: a durable wait for an event; `child`: a child run started (and, for `invoke`, waited for); its result holds the child's `run_id`; `version`: the version of a change the run takes (`ctx.step.version`)."
          },
          "StepStatus": {
            "type": "string",
            "enum": ["completed", "sleeping", "waiting", "retrying", "failed", "abandoned"],
            "description": "`completed`: checkpointed; `sleeping`: a sleep whose wake time has not come; `waiting`: a wait for an event that has not arrived; `retrying`: failed at least once, the next attempt waits for its back-off; `failed`: failed for good; `abandoned`: a wait of a race branch that lost, never resumed."
          },
          "Timestamp": {
            "type": "string",
            "format": "date-time",
            "description": "UTC, with milliseconds.",
            "examples": ["2026-11-25T20:11:57.083Z"]
          },
          "NullableTimestamp": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "UTC, with milliseconds; `null` when there is none."
          },
          "Step": {
            "type": "object",
            "description": "A step of a run, as checkpointed.",
            "additionalProperties": false,
            "required": ["step_id", "kind", "status", "result", "error_message", "attempts", "wake_at", "started_at", "executed_at"],
            "properties": {
              "step_id": {"type": "string"},
              "kind": {"$ref": "#/components/schemas/StepKind"},
              "status": {"$ref": "#/components/schemas/StepStatus"},
              "result": {"description": "The step's checkpointed result, any JSON; `null` when it has none."},
              "error_message": {"type": ["string", "null"], "description": "The last failure of the step."},
              "attempts": {"type": "integer", "minimum": 0},
              "wake_at": {"$ref": "#/components/schemas/NullableTimestamp"},
              "started_at": {"$ref": "#/components/schemas/NullableTimestamp", "description": "When its latest attempt began; `null` for a step recorded before this was kept."},
              "executed_at": {"$ref": "#/components/schemas/Timestamp"}
            }
          },
          "Run": {
            "type": "object",
            "description": "A run with a page of its steps, in execution order.",
            "additionalProperties": false,
            "required": ["run_id", "workflow_id", "status", "data", "result", "error_message", "wake_at", "created_at", "completed_at", "parent_run_id", "continued_from", "schedule", "scheduled_for", "concurrency_key", "priority", "children", "steps", "next_steps_cursor"],
            "properties": {
              "run_id": {"type": "string"},
              "workflow_id": {"type": "string"},
              "status": {"$ref": "#/components/schemas/RunStatus"},
              "data": {"description": "The run's input, any JSON."},
              "result": {"description": "The workflow's result, any JSON; `null` until it completes."},
              "error_message": {"type": ["string", "null"], "description": "Why the run failed, or its last invocation's failure."},
              "wake_at": {"$ref": "#/components/schemas/NullableTimestamp"},
              "created_at": {"$ref": "#/components/schemas/Timestamp"},
              "completed_at": {"$ref": "#/components/schemas/NullableTimestamp"},
              "parent_run_id": {"type": ["string", "null"], "description": "The run that started this one as its child; `null` for a run that was triggered."},
              "continued_from": {"type": ["string", "null"], "description": "The run this one continues (it ended with `continueAsNew`; its result names this run as `hookflow.continued_as`); `null` otherwise."},
              "schedule": {"type": ["string", "null"], "description": "The name of the schedule that started the run, at a tick or fired now; `null` for a run no schedule started."},
              "scheduled_for": {"$ref": "#/components/schemas/NullableTimestamp", "description": "The tick that started the run, or when the schedule was fired now; `null` for a run no schedule started."},
              "concurrency_key": {"type": ["string", "null"], "description": "The concurrency key the run counts against, given at its trigger: at most the workflow's `concurrencyPerKey` runs with this key are admitted and unfinished at once; `null` for a run triggered without one."},
              "priority": {"type": "integer", "minimum": -10000, "maximum": 10000, "description": "Higher runs are claimed and admitted first: a run of priority p is placed in line as if it had been triggered p minutes earlier."},
              "children": {"type": "array", "items": {"type": "string"}, "maxItems": 1000, "description": "The run ids of the runs this one started as children, newest first; the first 1,000 (list runs with `parent_run_id` for all)."},
              "steps": {"type": "array", "items": {"$ref": "#/components/schemas/Step"}},
              "next_steps_cursor": {"type": ["string", "null"], "description": "Pass as `steps_cursor` for the steps after these; `null` when these are the last."}
            },
            "examples": [
              {
                "run_id": "5d0c6f0e-8a5b-4c1d-9a43-2f8d3c1b7e21", "workflow_id": "process-order", "status": "completed",
                "data": {"order_id": "A-1"}, "result": {"status": "completed", "charge_id": "ch_A-1", "tracking_number": "TRK-A-1-1159"},
                "error_message": null, "wake_at": null, "created_at": "2026-11-25T20:11:57.083Z", "completed_at": "2026-11-25T20:12:02.092Z",
                "parent_run_id": null, "continued_from": null, "schedule": null, "scheduled_for": null,
                "concurrency_key": null, "priority": 0, "children": [],
                "steps": [
                  {"step_id": "validate", "kind": "run", "status": "completed", "result": {"order_id": "A-1", "amount_cents": 1159},
                   "error_message": null, "attempts": 1, "wake_at": null, "started_at": "2026-11-25T20:11:57.080Z", "executed_at": "2026-11-25T20:11:57.091Z"}
                ],
                "next_steps_cursor": null
              }
            ]
          },
          "RunSummary": {
            "type": "object",
            "description": "A run in a listing: the run without its steps.",
            "additionalProperties": false,
            "required": ["run_id", "workflow_id", "status", "data", "result", "error_message", "wake_at", "created_at", "completed_at", "parent_run_id", "continued_from", "schedule", "scheduled_for", "concurrency_key", "priority"],
            "properties": {
              "run_id": {"type": "string"},
              "workflow_id": {"type": "string"},
              "status": {"$ref": "#/components/schemas/RunStatus"},
              "data": {"description": "The run's input, any JSON."},
              "result": {"description": "The workflow's result, any JSON; `null` until it completes."},
              "error_message": {"type": ["string", "null"]},
              "wake_at": {"$ref": "#/components/schemas/NullableTimestamp"},
              "created_at": {"$ref": "#/components/schemas/Timestamp"},
              "completed_at": {"$ref": "#/components/schemas/NullableTimestamp"},
              "parent_run_id": {"type": ["string", "null"], "description": "The run that started this one as its child; `null` for a run that was triggered."},
              "continued_from": {"type": ["string", "null"], "description": "The run this one continues; `null` otherwise."},
              "schedule": {"type": ["string", "null"], "description": "The name of the schedule that started the run, at a tick or fired now; `null` for a run no schedule started."},
              "scheduled_for": {"$ref": "#/components/schemas/NullableTimestamp", "description": "The tick that started the run, or when the schedule was fired now; `null` for a run no schedule started."},
              "concurrency_key": {"type": ["string", "null"], "description": "The concurrency key the run counts against, given at its trigger; `null` for a run triggered without one."},
              "priority": {"type": "integer", "minimum": -10000, "maximum": 10000, "description": "Higher runs are claimed and admitted first: a run of priority p is placed in line as if it had been triggered p minutes earlier."}
            }
          },
          "RunList": {
            "type": "object",
            "additionalProperties": false,
            "required": ["runs", "next_cursor"],
            "properties": {
              "runs": {"type": "array", "items": {"$ref": "#/components/schemas/RunSummary"}},
              "next_cursor": {"type": ["string", "null"], "description": "Pass as `cursor` for the next page; `null` on the last."}
            }
          },
          "RunCounts": {
            "type": "object",
            "description": "How many runs are in each status; a status without runs is absent.",
            "additionalProperties": false,
            "properties": {
              "pending": {"type": "integer", "minimum": 0},
              "queued": {"type": "integer", "minimum": 0},
              "running": {"type": "integer", "minimum": 0},
              "sleeping": {"type": "integer", "minimum": 0},
              "completed": {"type": "integer", "minimum": 0},
              "failed": {"type": "integer", "minimum": 0},
              "cancelled": {"type": "integer", "minimum": 0}
            }
          },
          "Workflow": {
            "type": "object",
            "additionalProperties": false,
            "required": ["workflow_id", "registered", "counts"],
            "properties": {
              "workflow_id": {"type": "string"},
              "registered": {"type": "boolean", "description": "Whether this instance can execute it (a workflow of another release is not)."},
              "counts": {"$ref": "#/components/schemas/RunCounts"}
            }
          },
          "WorkflowList": {
            "type": "object",
            "additionalProperties": false,
            "required": ["workflows"],
            "properties": {
              "workflows": {"type": "array", "items": {"$ref": "#/components/schemas/Workflow"}}
            }
          },
          "DeadLetter": {
            "type": "object",
            "description": "The failure of a run that failed. Its times are whole seconds.",
            "additionalProperties": false,
            "required": ["id", "run_id", "workflow_id", "step_id", "error_message", "created_at", "replayed_at"],
            "properties": {
              "id": {"type": "string"},
              "run_id": {"type": "string"},
              "workflow_id": {"type": "string"},
              "step_id": {"type": ["string", "null"], "description": "The step that failed; `null` when the workflow's own code failed."},
              "error_message": {"type": "string"},
              "created_at": {"type": "string", "format": "date-time", "examples": ["2026-11-25T20:12:02Z"]},
              "replayed_at": {"type": ["string", "null"], "format": "date-time", "description": "When it was replayed; `null` until then."}
            }
          },
          "DeadLetterList": {
            "type": "object",
            "additionalProperties": false,
            "required": ["dead_letters", "next_cursor"],
            "properties": {
              "dead_letters": {"type": "array", "items": {"$ref": "#/components/schemas/DeadLetter"}},
              "next_cursor": {"type": ["string", "null"], "description": "Pass as `cursor` for the next page; `null` on the last."}
            }
          },
          "TriggerRequest": {
            "type": "object",
            "properties": {
              "input": {"description": "The run's input, any JSON the workflow's input type decodes; `null` when absent."},
              "run_id": {"type": ["string", "null"], "description": "The run's id, an idempotency key (1 to 512 bytes of UTF-8, no NUL); a random one when absent."},
              "concurrency_key": {"type": ["string", "null"], "description": "A concurrency key (1 to 512 bytes of UTF-8, no NUL), shared across workflows: at most the workflow's `concurrencyPerKey` runs with this key are admitted and unfinished at once; the others wait as `queued`, in line. None when absent."},
              "priority": {"type": "integer", "minimum": -10000, "maximum": 10000, "default": 0, "description": "Higher runs are claimed and admitted first: a run of priority p is placed in line as if it had been triggered p minutes earlier. Out of range is 400 `invalid_parameter`."}
            },
            "examples": [{"input": {"order_id": "A-1"}, "run_id": "order-A-1"}, {"input": {"order_id": "A-2"}, "concurrency_key": "customer-42", "priority": 10}]
          },
          "ForkRequest": {
            "type": "object",
            "required": ["from_step"],
            "properties": {
              "from_step": {"type": "string", "description": "The step to execute again; the checkpoints recorded before it are kept."}
            },
            "examples": [{"from_step": "charge"}]
          },
          "OverlapPolicy": {
            "type": "string",
            "enum": ["skip", "allow", "cancel_previous"],
            "description": "What a tick does while the run of the previous tick is still going. `skip`: it does not run; `allow`: it runs beside it; `cancel_previous`: the previous run is cancelled and the tick runs."
          },
          "Schedule": {
            "type": "object",
            "description": "A recurring start of a workflow: a cron expression in a time zone, or a fixed interval. Each tick starts one run of the workflow with `input`.",
            "additionalProperties": false,
            "required": ["name", "workflow_id", "cron", "time_zone", "every_seconds", "input", "missed_ticks", "overlap", "grace_seconds", "paused", "next_fire_at", "upcoming", "last_run_id", "created_at", "updated_at"],
            "properties": {
              "name": {"type": "string"},
              "workflow_id": {"type": "string"},
              "cron": {"type": ["string", "null"], "description": "The cron expression it fires on; `null` for an interval schedule."},
              "time_zone": {"type": ["string", "null"], "description": "The IANA time zone `cron` is read in; `null` for an interval schedule."},
              "every_seconds": {"type": ["integer", "null"], "minimum": 1, "description": "The interval between ticks, in seconds (ticks fall on whole multiples of it since 1970-01-01T00:00:00Z); `null` for a cron schedule."},
              "input": {"description": "The input of every run it starts, any JSON."},
              "missed_ticks": {"type": "string", "pattern": "^(skip|latest|all:[1-9][0-9]*)$", "description": "What it does with ticks missed by more than `grace_seconds`: `skip` them, run the `latest` once, or run the latest N (`all:N`), oldest first."},
              "overlap": {"$ref": "#/components/schemas/OverlapPolicy"},
              "grace_seconds": {"type": "number", "minimum": 0, "description": "How late a tick may fire and still count as on time, not missed."},
              "paused": {"type": "boolean", "description": "A paused schedule fires nothing until it is resumed."},
              "next_fire_at": {"$ref": "#/components/schemas/Timestamp", "description": "The next tick to fire."},
              "upcoming": {"type": "array", "items": {"$ref": "#/components/schemas/Timestamp"}, "maxItems": 5, "description": "The next 5 fire times, from `next_fire_at` on (as if it were not paused)."},
              "last_run_id": {"type": ["string", "null"], "description": "The run of the last tick it fired; `null` before its first."},
              "created_at": {"$ref": "#/components/schemas/Timestamp"},
              "updated_at": {"$ref": "#/components/schemas/Timestamp"}
            },
            "examples": [
              {
                "name": "nightly-report", "workflow_id": "send-report", "cron": "0 3 * * *", "time_zone": "Europe/Paris", "every_seconds": null,
                "input": {"email": "ops@example.com"}, "missed_ticks": "latest", "overlap": "skip", "grace_seconds": 60, "paused": false,
                "next_fire_at": "2026-11-26T02:00:00.000Z",
                "upcoming": ["2026-11-26T02:00:00.000Z", "2026-11-27T02:00:00.000Z", "2026-11-28T02:00:00.000Z", "2026-11-29T02:00:00.000Z", "2026-11-30T02:00:00.000Z"],
                "last_run_id": "schedule:nightly-report:2026-11-25T02:00:00Z",
                "created_at": "2026-11-20T09:30:00.000Z", "updated_at": "2026-11-25T02:00:00.012Z"
              }
            ]
          },
          "ScheduleList": {
            "type": "object",
            "additionalProperties": false,
            "required": ["schedules"],
            "properties": {
              "schedules": {"type": "array", "items": {"$ref": "#/components/schemas/Schedule"}}
            }
          },
          "ScheduleRequest": {
            "type": "object",
            "description": "A schedule to create, or to change the one of that name. Exactly one of `cron` and `every_seconds`.",
            "required": ["name", "workflow_id"],
            "oneOf": [{"required": ["cron"]}, {"required": ["every_seconds"]}],
            "properties": {
              "name": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,200}$", "description": "1 to 200 letters, digits, `-`, `_`, `.` or `:`."},
              "workflow_id": {"type": "string", "description": "The id the workflow is registered with in this instance."},
              "cron": {"type": "string", "description": "Five fields (minute, hour, day of month, month, day of week) with ranges, steps, lists and names, or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`, `@annually` or `@midnight`.", "examples": ["0 3 * * *", "*/15 9-17 * * mon-fri", "@daily"]},
              "time_zone": {"type": "string", "default": "UTC", "description": "The IANA time zone `cron` is read in (`Europe/Paris`); only with `cron`."},
              "every_seconds": {"type": "integer", "minimum": 1, "description": "A tick every so many seconds, on whole multiples of it since 1970-01-01T00:00:00Z."},
              "input": {"default": null, "description": "The input of every run, any JSON the workflow's input type decodes; `null` when absent."},
              "missed_ticks": {"type": "string", "pattern": "^(skip|latest|all:[1-9][0-9]*)$", "default": "latest", "description": "What to do with ticks missed by more than `grace_seconds` (no instance ran it): `skip` them, run the `latest` once, or run the latest N (`all:N`, N from 1), oldest first."},
              "overlap": {"$ref": "#/components/schemas/OverlapPolicy", "default": "skip"},
              "grace_seconds": {"type": "number", "minimum": 0, "default": 60, "description": "How late a tick may fire and still count as on time, not missed."}
            },
            "examples": [{"name": "nightly-report", "workflow_id": "send-report", "cron": "0 3 * * *", "time_zone": "Europe/Paris", "input": {"email": "ops@example.com"}}]
          },
          "Error": {
            "type": "object",
            "description": "Every error of this API.",
            "additionalProperties": false,
            "required": ["error"],
            "properties": {
              "error": {
                "type": "object",
                "additionalProperties": false,
                "required": ["code", "message"],
                "properties": {
                  "code": {
                    "type": "string",
                    "description": "Stays the same across releases.",
                    "enum": [
                      "invalid_parameter", "invalid_body", "bad_request", "unauthorized",
                      "run_not_found", "dead_letter_not_found", "step_not_found", "schedule_not_found", "unknown_workflow", "unknown_action",
                      "invalid_state", "run_id_conflict", "invalid_input", "internal"
                    ]
                  },
                  "message": {"type": "string", "description": "For a person: what was wrong, naming the bad value."}
                }
              }
            },
            "examples": [{"error": {"code": "invalid_parameter", "message": "limit \"0\" must be a whole number from 1 to 1000"}}]
          },
          "InvalidParameterError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["invalid_parameter"]}}}}}]},
          "InvalidRequestError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["invalid_body", "invalid_parameter", "bad_request"]}}}}}]},
          "BadRequestError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["bad_request"]}}}}}]},
          "UnauthorizedError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["unauthorized"]}}}}}]},
          "RunNotFoundError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["run_not_found"]}}}}}]},
          "RunOrWorkflowNotFoundError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["run_not_found", "unknown_workflow"]}}}}}]},
          "ForkNotFoundError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["run_not_found", "step_not_found", "unknown_workflow"]}}}}}]},
          "UnknownWorkflowError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["unknown_workflow"]}}}}}]},
          "DeadLetterNotFoundError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["dead_letter_not_found"]}}}}}]},
          "ScheduleNotFoundError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["schedule_not_found"]}}}}}]},
          "ReplayNotFoundError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["dead_letter_not_found", "run_not_found"]}}}}}]},
          "InvalidStateError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["invalid_state"]}}}}}]},
          "RunIDConflictError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["run_id_conflict"]}}}}}]},
          "UnprocessableError": {"allOf": [{"$ref": "#/components/schemas/Error"}, {"properties": {"error": {"properties": {"code": {"enum": ["invalid_input", "bad_request"]}}}}}]}
        }
      }
    }
    """##
}
