// This file is generated from openapi.yaml by scripts/generate-openapi-spec.js; do not edit.

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.1.0",
  "info": {
    "title": "api-marketplace",
    "version": "1",
    "description": "The REST API of the Portico API marketplace backend plugin, mounted at\n`/api/api-marketplace`. Errors use the Backstage error body\n(`error.name` is the stable code, e.g. `InputError`, `NotFoundError`).\n",
    "license": {
      "name": "Apache-2.0",
      "url": "http://www.apache.org/licenses/LICENSE-2.0.html"
    },
    "contact": {}
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "tags": [
    {
      "name": "health"
    },
    {
      "name": "products"
    },
    {
      "name": "artifacts"
    },
    {
      "name": "partners"
    },
    {
      "name": "subscriptions"
    },
    {
      "name": "keys"
    },
    {
      "name": "admin"
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "operationId": "getHealth",
        "tags": [
          "health"
        ],
        "summary": "Liveness of the plugin; unauthenticated.",
        "security": [],
        "responses": {
          "200": {
            "description": "The plugin is up.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "status": {
                      "type": "string",
                      "enum": [
                        "ok"
                      ]
                    }
                  },
                  "required": [
                    "status"
                  ]
                }
              }
            }
          }
        }
      }
    },
    "/v1/products": {
      "get": {
        "operationId": "listProducts",
        "tags": [
          "products"
        ],
        "summary": "Published products, filtered.",
        "parameters": [
          {
            "name": "category",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "logistics",
                "payments",
                "data",
                "communication",
                "analytics"
              ]
            }
          },
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "active",
                "beta",
                "deprecated"
              ]
            }
          },
          {
            "name": "tag",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 63
            }
          },
          {
            "name": "q",
            "in": "query",
            "description": "Free text over id, title, description and tags.",
            "schema": {
              "type": "string",
              "maxLength": 200
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The products.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/ProductSummary"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/products/{id}": {
      "get": {
        "operationId": "getProduct",
        "tags": [
          "products"
        ],
        "summary": "One product with its operations.",
        "parameters": [
          {
            "$ref": "#/components/parameters/productId"
          }
        ],
        "responses": {
          "200": {
            "description": "The product.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProductDetail"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/products/{id}/changes": {
      "get": {
        "operationId": "listProductChanges",
        "tags": [
          "products"
        ],
        "summary": "Spec history of a product, newest first, with computed diffs.",
        "parameters": [
          {
            "$ref": "#/components/parameters/productId"
          }
        ],
        "responses": {
          "200": {
            "description": "The recorded spec versions.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/SpecVersion"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/products/{id}/postman": {
      "get": {
        "operationId": "getProductPostmanCollection",
        "tags": [
          "artifacts"
        ],
        "summary": "A Postman v2.1 collection of the product, pointed at the gateway with an apiKey variable.",
        "parameters": [
          {
            "$ref": "#/components/parameters/productId"
          }
        ],
        "responses": {
          "200": {
            "description": "The collection.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "info": {
                      "type": "object"
                    },
                    "item": {
                      "type": "array",
                      "items": {}
                    }
                  },
                  "required": [
                    "info",
                    "item"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/products/{id}/sdk/typescript": {
      "get": {
        "operationId": "getProductTypescriptClient",
        "tags": [
          "artifacts"
        ],
        "summary": "A single-file typed TypeScript client generated from the spec.",
        "parameters": [
          {
            "$ref": "#/components/parameters/productId"
          }
        ],
        "responses": {
          "200": {
            "description": "TypeScript source.",
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/products/{id}/snippets/{operationId}": {
      "get": {
        "operationId": "getOperationSnippets",
        "tags": [
          "artifacts"
        ],
        "summary": "Code that performs one operation (curl, JavaScript, Node.js, Python, Go, Java).",
        "parameters": [
          {
            "$ref": "#/components/parameters/productId"
          },
          {
            "name": "operationId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 200
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The snippets.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "operationId": {
                      "type": "string"
                    },
                    "snippets": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "language": {
                            "type": "string"
                          },
                          "label": {
                            "type": "string"
                          },
                          "code": {
                            "type": "string"
                          }
                        },
                        "required": [
                          "language",
                          "label",
                          "code"
                        ]
                      }
                    }
                  },
                  "required": [
                    "operationId",
                    "snippets"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/me": {
      "get": {
        "operationId": "getMe",
        "tags": [
          "partners"
        ],
        "summary": "The signed-in user, their partner and role, and pending invitations.",
        "responses": {
          "200": {
            "description": "The caller.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Me"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/partners": {
      "post": {
        "operationId": "createPartner",
        "tags": [
          "partners"
        ],
        "summary": "Create the caller's partner organisation; the caller becomes its owner.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 2,
                    "maxLength": 200
                  },
                  "billingEmail": {
                    "type": "string",
                    "format": "email",
                    "maxLength": 320
                  }
                },
                "required": [
                  "name",
                  "billingEmail"
                ]
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The new partner.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Partner"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "409": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/partners/current": {
      "get": {
        "operationId": "getCurrentPartner",
        "tags": [
          "partners"
        ],
        "summary": "The caller's partner organisation.",
        "responses": {
          "200": {
            "description": "The partner, with the caller's role.",
            "content": {
              "application/json": {
                "schema": {
                  "allOf": [
                    {
                      "$ref": "#/components/schemas/Partner"
                    },
                    {
                      "type": "object",
                      "properties": {
                        "role": {
                          "type": "string"
                        }
                      },
                      "required": [
                        "role"
                      ]
                    }
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/partners/current/terms": {
      "post": {
        "operationId": "acceptTerms",
        "tags": [
          "partners"
        ],
        "summary": "Accept the marketplace terms for the caller's partner.",
        "responses": {
          "200": {
            "description": "The partner with `termsAcceptedAt`.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Partner"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/partners/current/members": {
      "get": {
        "operationId": "listMembers",
        "tags": [
          "partners"
        ],
        "responses": {
          "200": {
            "description": "The members.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Member"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/partners/current/members/{userRef}": {
      "delete": {
        "operationId": "removeMember",
        "tags": [
          "partners"
        ],
        "parameters": [
          {
            "name": "userRef",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 255
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Removed."
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "409": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/partners/current/invitations": {
      "get": {
        "operationId": "listInvitations",
        "tags": [
          "partners"
        ],
        "responses": {
          "200": {
            "description": "Invitations of the partner.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Invitation"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "post": {
        "operationId": "createInvitation",
        "tags": [
          "partners"
        ],
        "summary": "Invite someone by e-mail or user ref.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "email": {
                    "type": "string",
                    "maxLength": 320
                  },
                  "userRef": {
                    "type": "string",
                    "maxLength": 255
                  },
                  "role": {
                    "type": "string",
                    "enum": [
                      "admin",
                      "developer",
                      "billing"
                    ]
                  }
                },
                "required": [
                  "role"
                ]
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The invitation.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Invitation"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/partners/current/invitations/{id}": {
      "delete": {
        "operationId": "revokeInvitation",
        "tags": [
          "partners"
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Revoked."
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/invitations/{id}/accept": {
      "post": {
        "operationId": "acceptInvitation",
        "tags": [
          "partners"
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Joined the partner."
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "409": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/subscriptions": {
      "get": {
        "operationId": "listSubscriptions",
        "tags": [
          "subscriptions"
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/partnerIdQuery"
          }
        ],
        "responses": {
          "200": {
            "description": "Live subscriptions.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Subscription"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "post": {
        "operationId": "createSubscription",
        "tags": [
          "subscriptions"
        ],
        "summary": "Subscribe to a product. Free takes effect at once; paid plans wait for checkout (pending_payment).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "productId": {
                    "type": "string",
                    "maxLength": 63
                  },
                  "plan": {
                    "type": "string",
                    "enum": [
                      "free",
                      "starter",
                      "enterprise"
                    ]
                  }
                },
                "required": [
                  "productId",
                  "plan"
                ]
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The subscription.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Subscription"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "409": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/subscriptions/{id}": {
      "patch": {
        "operationId": "updateSubscription",
        "tags": [
          "subscriptions"
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "plan": {
                    "type": "string",
                    "enum": [
                      "free",
                      "starter",
                      "enterprise"
                    ]
                  }
                },
                "required": [
                  "plan"
                ]
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The subscription.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Subscription"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "delete": {
        "operationId": "cancelSubscription",
        "tags": [
          "subscriptions"
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Canceled."
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/keys": {
      "get": {
        "operationId": "listKeys",
        "tags": [
          "keys"
        ],
        "summary": "The partner's keys — never the key itself, never its hash.",
        "parameters": [
          {
            "$ref": "#/components/parameters/partnerIdQuery"
          }
        ],
        "responses": {
          "200": {
            "description": "The keys.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/ApiKey"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "post": {
        "operationId": "createKey",
        "tags": [
          "keys"
        ],
        "summary": "Create a key; the response is the only place the key ever appears.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 100
                  },
                  "productIds": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 50,
                    "items": {
                      "type": "string",
                      "maxLength": 63
                    }
                  },
                  "environment": {
                    "type": "string",
                    "enum": [
                      "sandbox",
                      "production"
                    ]
                  },
                  "expiresAt": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "allowedIps": {
                    "type": "array",
                    "maxItems": 32,
                    "items": {
                      "type": "string",
                      "maxLength": 64
                    }
                  }
                },
                "required": [
                  "name",
                  "productIds",
                  "environment"
                ]
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The key, with `key` shown once.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/IssuedApiKey"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/keys/{id}/rotate": {
      "post": {
        "operationId": "rotateKey",
        "tags": [
          "keys"
        ],
        "summary": "Issue a replacement; the old key keeps working until the grace period ends.",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "gracePeriodHours": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 720
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new key, with `key` shown once.",
            "content": {
              "application/json": {
                "schema": {
                  "allOf": [
                    {
                      "$ref": "#/components/schemas/IssuedApiKey"
                    },
                    {
                      "type": "object",
                      "properties": {
                        "replaces": {
                          "type": "string"
                        },
                        "graceEndsAt": {
                          "type": "string"
                        }
                      },
                      "required": [
                        "replaces",
                        "graceEndsAt"
                      ]
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "409": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/keys/{id}": {
      "delete": {
        "operationId": "revokeKey",
        "tags": [
          "keys"
        ],
        "summary": "Revoke a key at once.",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Revoked."
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/audit": {
      "get": {
        "operationId": "listAuditEvents",
        "tags": [
          "partners"
        ],
        "parameters": [
          {
            "$ref": "#/components/parameters/partnerIdQuery"
          }
        ],
        "responses": {
          "200": {
            "description": "The partner's audit log, newest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/AuditEvent"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/admin/partners": {
      "get": {
        "operationId": "adminListPartners",
        "tags": [
          "admin"
        ],
        "summary": "Every partner (marketplace admins only).",
        "responses": {
          "200": {
            "description": "The partners.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Partner"
                      }
                    }
                  },
                  "required": [
                    "items"
                  ]
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/admin/partners/{id}/status": {
      "put": {
        "operationId": "adminSetPartnerStatus",
        "tags": [
          "admin"
        ],
        "summary": "Suspend or reactivate a partner (marketplace admins only).",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "status": {
                    "type": "string",
                    "enum": [
                      "active",
                      "suspended"
                    ]
                  }
                },
                "required": [
                  "status"
                ]
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The partner.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Partner"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    }
  },
  "components": {
    "parameters": {
      "partnerIdQuery": {
        "name": "partnerId",
        "in": "query",
        "description": "Another partner's id; marketplace admins only.",
        "schema": {
          "type": "string",
          "maxLength": 64
        }
      },
      "productId": {
        "name": "id",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "maxLength": 63
        }
      }
    },
    "responses": {
      "ErrorResponse": {
        "description": "A Backstage error.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "properties": {
          "error": {
            "type": "object",
            "properties": {
              "name": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            },
            "required": [
              "name",
              "message"
            ]
          },
          "request": {
            "type": "object"
          },
          "response": {
            "type": "object",
            "properties": {
              "statusCode": {
                "type": "number"
              }
            }
          }
        },
        "required": [
          "error",
          "response"
        ]
      },
      "SpecVersion": {
        "type": "object",
        "properties": {
          "specHash": {
            "type": "string"
          },
          "version": {
            "type": "string"
          },
          "detectedAt": {
            "type": "string"
          },
          "previousHash": {
            "type": "string"
          },
          "breaking": {
            "type": "boolean"
          },
          "changes": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "kind": {
                  "type": "string"
                },
                "operation": {
                  "type": "string"
                },
                "detail": {
                  "type": "string"
                },
                "breaking": {
                  "type": "boolean"
                }
              },
              "required": [
                "kind",
                "operation",
                "detail",
                "breaking"
              ]
            }
          }
        },
        "required": [
          "specHash",
          "version",
          "detectedAt",
          "breaking",
          "changes"
        ]
      },
      "Partner": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "slug": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "billingEmail": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "suspended"
            ]
          },
          "termsAcceptedAt": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "slug",
          "name",
          "billingEmail",
          "status",
          "createdAt"
        ]
      },
      "Member": {
        "type": "object",
        "properties": {
          "userRef": {
            "type": "string"
          },
          "role": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          }
        },
        "required": [
          "userRef",
          "role",
          "createdAt"
        ]
      },
      "Invitation": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "email": {
            "type": "string"
          },
          "userRef": {
            "type": "string"
          },
          "role": {
            "type": "string"
          },
          "status": {
            "type": "string"
          },
          "invitedBy": {
            "type": "string"
          },
          "expiresAt": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "role",
          "status",
          "invitedBy",
          "expiresAt",
          "createdAt"
        ]
      },
      "Me": {
        "type": "object",
        "properties": {
          "userRef": {
            "type": "string"
          },
          "isAdmin": {
            "type": "boolean"
          },
          "partner": {
            "allOf": [
              {
                "$ref": "#/components/schemas/Partner"
              },
              {
                "type": "object",
                "properties": {
                  "role": {
                    "type": "string"
                  }
                },
                "required": [
                  "role"
                ]
              }
            ]
          },
          "invitations": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Invitation"
            }
          }
        },
        "required": [
          "userRef",
          "isAdmin",
          "invitations"
        ]
      },
      "Subscription": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "partnerId": {
            "type": "string"
          },
          "productId": {
            "type": "string"
          },
          "plan": {
            "type": "string",
            "enum": [
              "free",
              "starter",
              "enterprise"
            ]
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "pending_payment",
              "canceled"
            ]
          },
          "currentPeriodStart": {
            "type": "string"
          },
          "currentPeriodEnd": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          },
          "canceledAt": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "partnerId",
          "productId",
          "plan",
          "status",
          "currentPeriodStart",
          "currentPeriodEnd",
          "createdAt"
        ]
      },
      "ApiKey": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "prefix": {
            "type": "string"
          },
          "environment": {
            "type": "string",
            "enum": [
              "sandbox",
              "production"
            ]
          },
          "productIds": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "allowedIps": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "rotating",
              "revoked"
            ]
          },
          "expiresAt": {
            "type": "string"
          },
          "graceEndsAt": {
            "type": "string"
          },
          "replacedBy": {
            "type": "string"
          },
          "lastUsedAt": {
            "type": "string"
          },
          "createdBy": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          },
          "revokedAt": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "name",
          "prefix",
          "environment",
          "productIds",
          "allowedIps",
          "status",
          "createdBy",
          "createdAt"
        ]
      },
      "IssuedApiKey": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ApiKey"
          },
          {
            "type": "object",
            "properties": {
              "key": {
                "type": "string",
                "description": "The key itself. Shown in this response only; store it now."
              }
            },
            "required": [
              "key"
            ]
          }
        ]
      },
      "AuditEvent": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer"
          },
          "actorRef": {
            "type": "string"
          },
          "action": {
            "type": "string"
          },
          "targetType": {
            "type": "string"
          },
          "targetId": {
            "type": "string"
          },
          "details": {
            "type": "object"
          },
          "createdAt": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "actorRef",
          "action",
          "targetType",
          "details",
          "createdAt"
        ]
      },
      "FreeTier": {
        "type": "object",
        "properties": {
          "monthlyQuota": {
            "type": "integer"
          },
          "ratePerSecond": {
            "type": "integer"
          }
        },
        "required": [
          "monthlyQuota",
          "ratePerSecond"
        ]
      },
      "PaidTier": {
        "type": "object",
        "properties": {
          "monthlyPrice": {
            "type": "number"
          },
          "includedCalls": {
            "type": "integer"
          },
          "overagePer1000": {
            "type": "number"
          },
          "ratePerSecond": {
            "type": "integer"
          }
        },
        "required": [
          "monthlyPrice",
          "includedCalls",
          "overagePer1000",
          "ratePerSecond"
        ]
      },
      "LintSummary": {
        "type": "object",
        "properties": {
          "ruleset": {
            "type": "string"
          },
          "errors": {
            "type": "integer"
          },
          "warnings": {
            "type": "integer"
          },
          "infos": {
            "type": "integer"
          },
          "findings": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "code": {
                  "type": "string"
                },
                "message": {
                  "type": "string"
                },
                "severity": {
                  "type": "string"
                },
                "path": {
                  "type": "string"
                }
              }
            }
          }
        },
        "required": [
          "errors",
          "warnings",
          "findings"
        ]
      },
      "ProductSummary": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "entityRef": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "version": {
            "type": "string"
          },
          "specVersion": {
            "type": "string"
          },
          "specHash": {
            "type": "string"
          },
          "category": {
            "type": "string"
          },
          "status": {
            "type": "string"
          },
          "baseUrl": {
            "type": "string"
          },
          "sandboxUrl": {
            "type": "string"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "pricing": {
            "type": "object",
            "properties": {
              "free": {
                "$ref": "#/components/schemas/FreeTier"
              },
              "starter": {
                "$ref": "#/components/schemas/PaidTier"
              },
              "enterprise": {
                "$ref": "#/components/schemas/PaidTier"
              }
            },
            "required": [
              "free",
              "starter",
              "enterprise"
            ]
          },
          "lint": {
            "$ref": "#/components/schemas/LintSummary"
          },
          "operationCount": {
            "type": "integer"
          },
          "updatedAt": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "entityRef",
          "title",
          "description",
          "version",
          "specVersion",
          "specHash",
          "category",
          "status",
          "baseUrl",
          "tags",
          "pricing",
          "operationCount",
          "updatedAt"
        ]
      },
      "ProductDetail": {
        "allOf": [
          {
            "$ref": "#/components/schemas/ProductSummary"
          },
          {
            "type": "object",
            "properties": {
              "operations": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "operationId": {
                      "type": "string"
                    },
                    "method": {
                      "type": "string"
                    },
                    "path": {
                      "type": "string"
                    },
                    "summary": {
                      "type": "string"
                    },
                    "description": {
                      "type": "string"
                    },
                    "tags": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "deprecated": {
                      "type": "boolean"
                    },
                    "parameters": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "name": {
                            "type": "string"
                          },
                          "in": {
                            "type": "string"
                          },
                          "required": {
                            "type": "boolean"
                          },
                          "description": {
                            "type": "string"
                          },
                          "type": {
                            "type": "string"
                          },
                          "example": {}
                        },
                        "required": [
                          "name",
                          "in",
                          "required"
                        ]
                      }
                    },
                    "requestBody": {
                      "type": "object",
                      "properties": {
                        "contentType": {
                          "type": "string"
                        },
                        "required": {
                          "type": "boolean"
                        },
                        "example": {}
                      }
                    },
                    "responses": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "properties": {
                          "status": {
                            "type": "string"
                          },
                          "description": {
                            "type": "string"
                          },
                          "contentType": {
                            "type": "string"
                          },
                          "example": {}
                        },
                        "required": [
                          "status"
                        ]
                      }
                    }
                  },
                  "required": [
                    "operationId",
                    "method",
                    "path",
                    "tags",
                    "deprecated",
                    "parameters",
                    "responses"
                  ]
                }
              }
            },
            "required": [
              "operations"
            ]
          }
        ]
      }
    },
    "securitySchemes": {
      "JWT": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT"
      }
    }
  },
  "security": [
    {},
    {
      "JWT": []
    }
  ]
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
