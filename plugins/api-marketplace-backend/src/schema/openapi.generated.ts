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
    }
  },
  "components": {
    "parameters": {
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
