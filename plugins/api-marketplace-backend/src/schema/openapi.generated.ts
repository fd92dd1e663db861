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
    },
    {
      "name": "usage"
    },
    {
      "name": "gateway"
    },
    {
      "name": "sandbox"
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
    "/v1/products/{id}/operations": {
      "get": {
        "operationId": "listProductOperations",
        "tags": [
          "products"
        ],
        "summary": "The operation index of a product, small enough for specs with thousands of operations.",
        "description": "One entry per operation, in the order and with the ids of `operations`\nin `GET /v1/products/{id}`, without parameters, bodies, responses and\nexamples. Fetch one operation in full with\n`GET /v1/products/{id}/operations/{operationId}`.\n",
        "parameters": [
          {
            "$ref": "#/components/parameters/productId"
          }
        ],
        "responses": {
          "200": {
            "description": "The operation index.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
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
                          "tags": {
                            "type": "array",
                            "items": {
                              "type": "string"
                            }
                          },
                          "deprecated": {
                            "type": "boolean"
                          }
                        },
                        "required": [
                          "operationId",
                          "method",
                          "path",
                          "tags",
                          "deprecated"
                        ]
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
          },
          "404": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/products/{id}/operations/{operationId}": {
      "get": {
        "operationId": "getProductOperation",
        "tags": [
          "products"
        ],
        "summary": "One operation of a product, exactly as in the `operations` of the product.",
        "parameters": [
          {
            "$ref": "#/components/parameters/productId"
          },
          {
            "name": "operationId",
            "in": "path",
            "required": true,
            "description": "An `operationId` of the operation index, URL-encoded.",
            "schema": {
              "type": "string",
              "maxLength": 1000
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The operation with its parameters, request body and responses.",
            "content": {
              "application/json": {
                "schema": {
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
    "/v1/catalog/partners": {
      "get": {
        "operationId": "listCatalogPartners",
        "tags": [
          "partners"
        ],
        "summary": "The partner directory for the catalog (the catalog backend's service token only).",
        "description": "Every partner, active and suspended (see `status`), with its members,\nfor the catalog module's `PartnerEntityProvider`, which publishes them\nas `Group` and `User` entities. Users and services other than\n`plugin:catalog` get 403.\n",
        "responses": {
          "200": {
            "description": "The partners, oldest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
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
                          "status": {
                            "type": "string",
                            "enum": [
                              "active",
                              "suspended"
                            ]
                          },
                          "members": {
                            "type": "array",
                            "items": {
                              "type": "object",
                              "properties": {
                                "userRef": {
                                  "type": "string"
                                },
                                "role": {
                                  "type": "string",
                                  "enum": [
                                    "owner",
                                    "admin",
                                    "developer",
                                    "billing"
                                  ]
                                }
                              },
                              "required": [
                                "userRef",
                                "role"
                              ]
                            }
                          }
                        },
                        "required": [
                          "id",
                          "slug",
                          "name",
                          "status",
                          "members"
                        ]
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
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
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
    "/v1/usage": {
      "get": {
        "operationId": "getUsage",
        "tags": [
          "usage"
        ],
        "summary": "Calls, billable calls and quota of a partner over time.",
        "description": "The caller's partner (any member role; marketplace admins may pass\n`partnerId`). Rollups from the database plus the live counters of\nminutes not rolled up yet, each minute counted once, so a call shows\nup within seconds. `from` is rounded down and `to` up to the\ngranularity; items only list buckets with calls. Totals cover\n`[from, to)`, one per product × environment with usage or an active\nsubscription; `quotaRemaining` is of the current UTC month.\n",
        "parameters": [
          {
            "name": "from",
            "in": "query",
            "description": "ISO date-time, inclusive. Default `to` minus 1 hour (minute), 1 day (hour) or 30 days (day).",
            "schema": {
              "type": "string",
              "maxLength": 40
            }
          },
          {
            "name": "to",
            "in": "query",
            "description": "ISO date-time, exclusive. Default now.",
            "schema": {
              "type": "string",
              "maxLength": 40
            }
          },
          {
            "name": "granularity",
            "in": "query",
            "description": "Default `hour`. At most 1 day of minutes, 93 days of hours, 732 days of days.",
            "schema": {
              "type": "string",
              "enum": [
                "minute",
                "hour",
                "day"
              ]
            }
          },
          {
            "name": "productId",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 63
            }
          },
          {
            "name": "environment",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "sandbox",
                "production"
              ]
            }
          },
          {
            "$ref": "#/components/parameters/partnerIdQuery"
          }
        ],
        "responses": {
          "200": {
            "description": "The usage report.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/UsageReport"
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
    "/v1/sandbox/try": {
      "post": {
        "operationId": "trySandbox",
        "tags": [
          "sandbox"
        ],
        "summary": "One call to a product's sandbox for the signed-in user (try-it).",
        "description": "The call goes through the gateway's steps: the key is verified, the\ncall is rate limited at the product's free-tier rate, counted against\nthe key's quota and metered as sandbox usage (never billable), and\nthe request is built from the operation of the spec (path parameters\nencoded, unsafe headers dropped, private hosts refused, bounded time\nand size). `keyId` picks one of the caller's partner's sandbox keys\n(the session authorises it); `key` is a pasted `sk_test_` key.\nProduction keys are refused with `error.code: live_key_refused`.\nRefusals of the key or the limit come back as the gateway's answer\n(`statusCode` 401/403/429 with a problem body), not as errors.\n",
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
                  "operationId": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "method": {
                    "type": "string",
                    "maxLength": 16
                  },
                  "path": {
                    "type": "string",
                    "maxLength": 2048
                  },
                  "pathParams": {
                    "type": "object",
                    "additionalProperties": {
                      "oneOf": [
                        {
                          "type": "string"
                        },
                        {
                          "type": "number"
                        },
                        {
                          "type": "boolean"
                        }
                      ]
                    }
                  },
                  "query": {
                    "type": "object",
                    "additionalProperties": {
                      "oneOf": [
                        {
                          "type": "string"
                        },
                        {
                          "type": "number"
                        },
                        {
                          "type": "boolean"
                        },
                        {
                          "type": "array",
                          "items": {
                            "oneOf": [
                              {
                                "type": "string"
                              },
                              {
                                "type": "number"
                              },
                              {
                                "type": "boolean"
                              }
                            ]
                          }
                        }
                      ]
                    }
                  },
                  "headers": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "string"
                    }
                  },
                  "body": {},
                  "keyId": {
                    "type": "string",
                    "maxLength": 64
                  },
                  "key": {
                    "type": "string",
                    "maxLength": 200
                  }
                },
                "required": [
                  "productId"
                ]
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "What the sandbox (or the gateway) answered.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SandboxTryResponse"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "401": {
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
    "/v1/verify": {
      "post": {
        "operationId": "verifyKey",
        "tags": [
          "gateway"
        ],
        "summary": "Verify, rate limit and count one call for an existing gateway (service credentials only).",
        "description": "For gateways that proxy themselves (Kong, Envoy, NGINX, …). The call\nis verified, rate limited, counted against the quota and metered\nexactly as the Portico gateway does; it is metered as 2xx because the\nupstream status is not known here. Callers need a Backstage service\ntoken (a plugin or an `externalAccess` token); user tokens get 403.\nAlways 200: `allowed` and `status` say what to answer the partner.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "key": {
                    "type": "string",
                    "maxLength": 200
                  },
                  "productId": {
                    "type": "string",
                    "maxLength": 63
                  },
                  "environment": {
                    "type": "string",
                    "enum": [
                      "sandbox",
                      "production"
                    ]
                  },
                  "clientIp": {
                    "type": "string",
                    "maxLength": 64
                  },
                  "method": {
                    "type": "string",
                    "maxLength": 16
                  },
                  "path": {
                    "type": "string",
                    "maxLength": 8192
                  }
                },
                "required": [
                  "key",
                  "productId"
                ]
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The verdict.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/VerifyResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/v1/verify/auth-request": {
      "get": {
        "operationId": "verifyAuthRequest",
        "tags": [
          "gateway"
        ],
        "summary": "NGINX `auth_request` / Envoy `ext_authz` (HTTP) check of one call.",
        "description": "The partner's key comes in `Authorization: Bearer` or `X-API-Key`\n(as the partner sent it), so the gateway's own Backstage service\ntoken goes in `X-Portico-Gateway-Token`. The product is\n`X-Portico-Product`, or the first segment after `/gateway/` in\n`X-Original-URI`. The answer is the status alone (200, or the\nproblem's 400/401/403/404/429/503) with `X-Portico-Partner`,\n`X-Portico-Key-Id`, `X-Portico-Plan`, `RateLimit-*` (and on 200 the\nsigned `X-Portico-Signature`/`-Timestamp`/`-Request-Id`) to copy\nupstream or to the partner. Verified, limited and metered like\n`POST /v1/verify`.\n",
        "security": [],
        "parameters": [
          {
            "name": "X-Portico-Gateway-Token",
            "in": "header",
            "description": "A Backstage service token of the calling gateway.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "X-API-Key",
            "in": "header",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "X-Portico-Product",
            "in": "header",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "X-Original-URI",
            "in": "header",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "X-Original-Method",
            "in": "header",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "X-Real-IP",
            "in": "header",
            "description": "The partner's address, for keys with an IP allow list.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "X-Portico-Environment",
            "in": "header",
            "description": "Serve only this environment's keys.",
            "schema": {
              "type": "string",
              "enum": [
                "sandbox",
                "production"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Allowed; copy the X-Portico-* headers upstream."
          },
          "400": {
            "$ref": "#/components/responses/ProblemResponse"
          },
          "401": {
            "$ref": "#/components/responses/ProblemResponse"
          },
          "403": {
            "$ref": "#/components/responses/ProblemResponse"
          },
          "404": {
            "$ref": "#/components/responses/ProblemResponse"
          },
          "429": {
            "$ref": "#/components/responses/ProblemResponse"
          },
          "503": {
            "$ref": "#/components/responses/ProblemResponse"
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
      },
      "ProblemResponse": {
        "description": "A gateway problem document.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
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
              },
              "code": {
                "type": "string",
                "description": "A finer stable code where one exists (e.g. `live_key_refused`)."
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
      },
      "Problem": {
        "type": "object",
        "description": "RFC 9457 problem document of the gateway; `code` is stable.",
        "properties": {
          "type": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "number"
          },
          "detail": {
            "type": "string"
          },
          "code": {
            "type": "string"
          },
          "requestId": {
            "type": "string"
          }
        },
        "required": [
          "type",
          "title",
          "status",
          "code"
        ]
      },
      "SandboxTryResponse": {
        "type": "object",
        "properties": {
          "statusCode": {
            "type": "number"
          },
          "headers": {
            "type": "object",
            "additionalProperties": {
              "type": "string"
            }
          },
          "body": {
            "type": "string"
          },
          "latencyMs": {
            "type": "number"
          },
          "size": {
            "type": "number"
          },
          "truncated": {
            "type": "boolean"
          },
          "curl": {
            "type": "string",
            "description": "The same call through the gateway, the key as `$PORTICO_KEY`."
          }
        },
        "required": [
          "statusCode",
          "headers",
          "body",
          "latencyMs",
          "size",
          "truncated",
          "curl"
        ]
      },
      "VerifyResult": {
        "type": "object",
        "properties": {
          "allowed": {
            "type": "boolean"
          },
          "status": {
            "type": "number",
            "description": "What the gateway should answer the partner (200 when allowed)."
          },
          "code": {
            "type": "string",
            "description": "The stable problem code when refused (`invalid_key`, `rate_limited`, …)."
          },
          "partnerId": {
            "type": "string"
          },
          "keyId": {
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
          "environment": {
            "type": "string",
            "enum": [
              "sandbox",
              "production"
            ]
          },
          "rateLimit": {
            "type": "object",
            "properties": {
              "limit": {
                "type": "number"
              },
              "remaining": {
                "type": "number"
              },
              "reset": {
                "type": "number",
                "description": "Seconds."
              }
            },
            "required": [
              "limit",
              "remaining",
              "reset"
            ]
          },
          "retryAfter": {
            "type": "number",
            "description": "Seconds",
            "when rate limited.": null
          },
          "upstreamHeaders": {
            "type": "object",
            "description": "When allowed, the signed X-Portico-* headers to send upstream.",
            "additionalProperties": {
              "type": "string"
            }
          }
        },
        "required": [
          "allowed",
          "status"
        ]
      },
      "UsageStatusClasses": {
        "type": "object",
        "properties": {
          "2xx": {
            "type": "number"
          },
          "3xx": {
            "type": "number"
          },
          "4xx": {
            "type": "number"
          },
          "5xx": {
            "type": "number"
          }
        },
        "required": [
          "2xx",
          "3xx",
          "4xx",
          "5xx"
        ]
      },
      "UsageItem": {
        "type": "object",
        "properties": {
          "bucketStart": {
            "type": "string"
          },
          "productId": {
            "type": "string"
          },
          "environment": {
            "type": "string",
            "enum": [
              "sandbox",
              "production"
            ]
          },
          "calls": {
            "type": "number"
          },
          "billableCalls": {
            "type": "number"
          },
          "statusClasses": {
            "$ref": "#/components/schemas/UsageStatusClasses"
          },
          "latencyP50Ms": {
            "type": "number"
          },
          "latencyP99Ms": {
            "type": "number"
          }
        },
        "required": [
          "bucketStart",
          "productId",
          "environment",
          "calls",
          "billableCalls",
          "statusClasses"
        ]
      },
      "UsageTotal": {
        "type": "object",
        "properties": {
          "productId": {
            "type": "string"
          },
          "environment": {
            "type": "string",
            "enum": [
              "sandbox",
              "production"
            ]
          },
          "plan": {
            "type": "string",
            "enum": [
              "free",
              "starter",
              "enterprise"
            ]
          },
          "calls": {
            "type": "number"
          },
          "billableCalls": {
            "type": "number"
          },
          "monthlyQuota": {
            "type": "number"
          },
          "quotaRemaining": {
            "type": "number"
          },
          "includedCalls": {
            "type": "number"
          }
        },
        "required": [
          "productId",
          "environment",
          "plan",
          "calls",
          "billableCalls"
        ]
      },
      "UsageReport": {
        "type": "object",
        "properties": {
          "partnerId": {
            "type": "string"
          },
          "from": {
            "type": "string"
          },
          "to": {
            "type": "string"
          },
          "granularity": {
            "type": "string",
            "enum": [
              "minute",
              "hour",
              "day"
            ]
          },
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/UsageItem"
            }
          },
          "totals": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/UsageTotal"
            }
          },
          "live": {
            "type": "boolean",
            "description": "The live counters were read (false while the usage store is unreachable)."
          }
        },
        "required": [
          "partnerId",
          "from",
          "to",
          "granularity",
          "items",
          "totals",
          "live"
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
