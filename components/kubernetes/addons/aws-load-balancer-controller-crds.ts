// Generated from the AWS Load Balancer Controller v3.5.0 Helm chart's crds/crds.yaml
// (kubernetes-sigs/aws-load-balancer-controller, tag v3.5.0, SHA-256 cb00e9a8ee22cc51307bbed799faff306ab4d23a9fd201d26fcd53ab035777d9):
// the two CRDs the controller needs for Services (TargetGroupBinding, which it creates per NLB
// target group, and IngressClassParams, which its Ingress reconciler lists at start), unchanged.
// The gateway and accelerator CRDs are left out: their feature gates are off.

/** The chart's crds.yaml the objects below come from. */
export const AWS_LBC_CRDS_SOURCE = {
  version: "v3.5.0",
  sha256: "cb00e9a8ee22cc51307bbed799faff306ab4d23a9fd201d26fcd53ab035777d9",
} as const;

/** The CustomResourceDefinitions, as the chart ships them. */
export const AWS_LBC_CRDS: readonly Record<string, unknown>[] = [
  {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      annotations: {
        "controller-gen.kubebuilder.io/version": "v0.19.0",
      },
      name: "ingressclassparams.elbv2.k8s.aws",
    },
    spec: {
      group: "elbv2.k8s.aws",
      names: {
        kind: "IngressClassParams",
        listKind: "IngressClassParamsList",
        plural: "ingressclassparams",
        singular: "ingressclassparam",
      },
      scope: "Cluster",
      versions: [
        {
          additionalPrinterColumns: [
            {
              description: "The Ingress Group name",
              jsonPath: ".spec.group.name",
              name: "GROUP-NAME",
              type: "string",
            },
            {
              description: "The AWS Load Balancer scheme",
              jsonPath: ".spec.scheme",
              name: "SCHEME",
              type: "string",
            },
            {
              description: "The AWS Load Balancer ipAddressType",
              jsonPath: ".spec.ipAddressType",
              name: "IP-ADDRESS-TYPE",
              type: "string",
            },
            {
              jsonPath: ".metadata.creationTimestamp",
              name: "AGE",
              type: "date",
            },
          ],
          name: "v1beta1",
          schema: {
            openAPIV3Schema: {
              description: "IngressClassParams is the Schema for the IngressClassParams API",
              properties: {
                apiVersion: {
                  description:
                    "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                  type: "string",
                },
                kind: {
                  description:
                    "Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                  type: "string",
                },
                metadata: {
                  type: "object",
                },
                spec: {
                  description: "IngressClassParamsSpec defines the desired state of IngressClassParams",
                  properties: {
                    PrefixListsIDs: {
                      description:
                        "PrefixListsIDsLegacy defines the security group prefix lists for all Ingresses that belong to IngressClass with this IngressClassParams.\nNot Recommended, Use PrefixListsIDs (prefixListsIDs in JSON) instead",
                      items: {
                        type: "string",
                      },
                      type: "array",
                    },
                    certificateArn: {
                      description:
                        "CertificateArn specifies the ARN of the certificates for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      items: {
                        type: "string",
                      },
                      type: "array",
                    },
                    group: {
                      description:
                        "Group defines the IngressGroup for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      properties: {
                        name: {
                          description: "Name is the name of IngressGroup.",
                          type: "string",
                        },
                      },
                      required: ["name"],
                      type: "object",
                    },
                    inboundCIDRs: {
                      description:
                        "InboundCIDRs specifies the CIDRs that are allowed to access the Ingresses that belong to IngressClass with this IngressClassParams.",
                      items: {
                        type: "string",
                      },
                      type: "array",
                    },
                    ipAddressType: {
                      description:
                        "IPAddressType defines the ip address type for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      enum: ["ipv4", "dualstack", "dualstack-without-public-ipv4"],
                      type: "string",
                    },
                    ipamConfiguration: {
                      description: "IPAMConfiguration defines the IPAM settings for a Load Balancer.",
                      properties: {
                        ipv4IPAMPoolId: {
                          description:
                            "IPv4IPAMPoolId defines the IPAM pool ID used for IPv4 Addresses on the ALB.",
                          type: "string",
                        },
                      },
                      type: "object",
                    },
                    listeners: {
                      description:
                        "Listeners define a list of listeners with their protocol, port and attributes.",
                      items: {
                        properties: {
                          listenerAttributes: {
                            description: "The attributes of the listener",
                            items: {
                              description: "Attributes defines custom attributes on resources.",
                              properties: {
                                key: {
                                  description: "The key of the attribute.",
                                  type: "string",
                                },
                                value: {
                                  description: "The value of the attribute.",
                                  type: "string",
                                },
                              },
                              required: ["key", "value"],
                              type: "object",
                            },
                            type: "array",
                          },
                          port: {
                            description: "The port of the listener",
                            format: "int32",
                            type: "integer",
                          },
                          protocol: {
                            description: "The protocol of the listener",
                            type: "string",
                          },
                        },
                        type: "object",
                      },
                      type: "array",
                    },
                    loadBalancerAttributes: {
                      description:
                        "LoadBalancerAttributes define the custom attributes to LoadBalancers for all Ingress that that belong to IngressClass with this IngressClassParams.",
                      items: {
                        description: "Attributes defines custom attributes on resources.",
                        properties: {
                          key: {
                            description: "The key of the attribute.",
                            type: "string",
                          },
                          value: {
                            description: "The value of the attribute.",
                            type: "string",
                          },
                        },
                        required: ["key", "value"],
                        type: "object",
                      },
                      type: "array",
                    },
                    loadBalancerName: {
                      description:
                        "LoadBalancerName defines the name of the load balancer that will be created with this IngressClassParams.",
                      type: "string",
                    },
                    minimumLoadBalancerCapacity: {
                      description:
                        "MinimumLoadBalancerCapacity define the capacity reservation for LoadBalancers for all Ingress that belong to IngressClass with this IngressClassParams.",
                      properties: {
                        capacityUnits: {
                          description: "The Capacity Units Value.",
                          format: "int32",
                          type: "integer",
                        },
                      },
                      required: ["capacityUnits"],
                      type: "object",
                    },
                    namespaceSelector: {
                      description:
                        "NamespaceSelector restrict the namespaces of Ingresses that are allowed to specify the IngressClass with this IngressClassParams.\n* if absent or present but empty, it selects all namespaces.",
                      properties: {
                        matchExpressions: {
                          description:
                            "matchExpressions is a list of label selector requirements. The requirements are ANDed.",
                          items: {
                            description:
                              "A label selector requirement is a selector that contains values, a key, and an operator that\nrelates the key and values.",
                            properties: {
                              key: {
                                description: "key is the label key that the selector applies to.",
                                type: "string",
                              },
                              operator: {
                                description:
                                  "operator represents a key's relationship to a set of values.\nValid operators are In, NotIn, Exists and DoesNotExist.",
                                type: "string",
                              },
                              values: {
                                description:
                                  "values is an array of string values. If the operator is In or NotIn,\nthe values array must be non-empty. If the operator is Exists or DoesNotExist,\nthe values array must be empty. This array is replaced during a strategic\nmerge patch.",
                                items: {
                                  type: "string",
                                },
                                type: "array",
                                "x-kubernetes-list-type": "atomic",
                              },
                            },
                            required: ["key", "operator"],
                            type: "object",
                          },
                          type: "array",
                          "x-kubernetes-list-type": "atomic",
                        },
                        matchLabels: {
                          additionalProperties: {
                            type: "string",
                          },
                          description:
                            'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels\nmap is equivalent to an element of matchExpressions, whose key field is "key", the\noperator is "In", and the values array contains only "value". The requirements are ANDed.',
                          type: "object",
                        },
                      },
                      type: "object",
                      "x-kubernetes-map-type": "atomic",
                    },
                    prefixListsIDs: {
                      description:
                        "PrefixListsIDs defines the security group prefix lists for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      items: {
                        type: "string",
                      },
                      type: "array",
                    },
                    scheme: {
                      description:
                        "Scheme defines the scheme for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      enum: ["internal", "internet-facing"],
                      type: "string",
                    },
                    sslPolicy: {
                      description:
                        "SSLPolicy specifies the SSL Policy for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      type: "string",
                    },
                    sslRedirectPort: {
                      description:
                        "SSLRedirectPort specifies the SSL Redirect Port for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      type: "string",
                    },
                    subnets: {
                      description:
                        "Subnets defines the subnets for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      properties: {
                        ids: {
                          description:
                            "IDs specify the resource IDs of subnets. Exactly one of this or `tags` must be specified.",
                          items: {
                            description: "SubnetID specifies a subnet ID.",
                            pattern: "subnet-[0-9a-f]+",
                            type: "string",
                          },
                          minItems: 1,
                          type: "array",
                        },
                        tags: {
                          additionalProperties: {
                            items: {
                              type: "string",
                            },
                            type: "array",
                          },
                          description:
                            "Tags specifies subnets in the load balancer's VPC where each\ntag specified in the map key contains one of the values in the corresponding\nvalue list.\nExactly one of this or `ids` must be specified.",
                          type: "object",
                        },
                      },
                      type: "object",
                    },
                    tags: {
                      description:
                        "Tags defines list of Tags on AWS resources provisioned for Ingresses that belong to IngressClass with this IngressClassParams.",
                      items: {
                        description: "Tag defines a AWS Tag on resources.",
                        properties: {
                          key: {
                            description: "The key of the tag.",
                            type: "string",
                          },
                          value: {
                            description: "The value of the tag.",
                            type: "string",
                          },
                        },
                        required: ["key", "value"],
                        type: "object",
                      },
                      type: "array",
                    },
                    targetType: {
                      description:
                        "TargetType defines the target type of target groups for all Ingresses that belong to IngressClass with this IngressClassParams.",
                      enum: ["instance", "ip"],
                      type: "string",
                    },
                    wafv2AclArn: {
                      description: "WAFv2ACLArn specifies ARN for the Amazon WAFv2 web ACL.",
                      type: "string",
                    },
                    wafv2AclName: {
                      description: "WAFv2ACLName specifies name of the Amazon WAFv2 web ACL.",
                      type: "string",
                    },
                  },
                  type: "object",
                  "x-kubernetes-validations": [
                    {
                      message: "cannot specify both 'prefixListsIDs' and 'PrefixListsIDs' fields",
                      rule: "!(has(self.prefixListsIDs) && has(self.PrefixListsIDs))",
                    },
                  ],
                },
              },
              type: "object",
            },
          },
          served: true,
          storage: true,
          subresources: {},
        },
      ],
    },
  },
  {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      annotations: {
        "controller-gen.kubebuilder.io/version": "v0.19.0",
      },
      name: "targetgroupbindings.elbv2.k8s.aws",
    },
    spec: {
      group: "elbv2.k8s.aws",
      names: {
        kind: "TargetGroupBinding",
        listKind: "TargetGroupBindingList",
        plural: "targetgroupbindings",
        singular: "targetgroupbinding",
      },
      scope: "Namespaced",
      versions: [
        {
          additionalPrinterColumns: [
            {
              description: "The Kubernetes Service's name",
              jsonPath: ".spec.serviceRef.name",
              name: "SERVICE-NAME",
              type: "string",
            },
            {
              description: "The Kubernetes Service's port",
              jsonPath: ".spec.serviceRef.port",
              name: "SERVICE-PORT",
              type: "string",
            },
            {
              description: "The AWS TargetGroup's TargetType",
              jsonPath: ".spec.targetType",
              name: "TARGET-TYPE",
              type: "string",
            },
            {
              description: "The AWS TargetGroup's Amazon Resource Name",
              jsonPath: ".spec.targetGroupARN",
              name: "ARN",
              priority: 1,
              type: "string",
            },
            {
              description: "The AWS TargetGroup's Name",
              jsonPath: ".spec.targetGroupName",
              name: "NAME",
              priority: 2,
              type: "string",
            },
            {
              jsonPath: ".metadata.creationTimestamp",
              name: "AGE",
              type: "date",
            },
          ],
          name: "v1alpha1",
          schema: {
            openAPIV3Schema: {
              description: "TargetGroupBinding is the Schema for the TargetGroupBinding API",
              properties: {
                apiVersion: {
                  description:
                    "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                  type: "string",
                },
                kind: {
                  description:
                    "Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                  type: "string",
                },
                metadata: {
                  type: "object",
                },
                spec: {
                  description: "TargetGroupBindingSpec defines the desired state of TargetGroupBinding",
                  properties: {
                    assumeRoleExternalId: {
                      description:
                        "IAM Role ARN to assume when calling AWS APIs. Needed to assume a role in another account and prevent the confused deputy problem. https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
                      type: "string",
                    },
                    iamRoleArnToAssume: {
                      description:
                        "IAM Role ARN to assume when calling AWS APIs. Useful if the target group is in a different AWS account",
                      type: "string",
                    },
                    multiClusterTargetGroup: {
                      description:
                        "MultiClusterTargetGroup Denotes if the TargetGroup is shared among multiple clusters",
                      type: "boolean",
                    },
                    networking: {
                      description:
                        "networking provides the networking setup for ELBV2 LoadBalancer to access targets in TargetGroup.",
                      properties: {
                        ingress: {
                          description:
                            "List of ingress rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.",
                          items: {
                            properties: {
                              from: {
                                description:
                                  "List of peers which should be able to access the targets in TargetGroup.\nAt least one NetworkingPeer should be specified.",
                                items: {
                                  description:
                                    "NetworkingPeer defines the source/destination peer for networking rules.",
                                  properties: {
                                    ipBlock: {
                                      description:
                                        "IPBlock defines an IPBlock peer.\nIf specified, none of the other fields can be set.",
                                      properties: {
                                        cidr: {
                                          description:
                                            "CIDR is the network CIDR.\nBoth IPV4 or IPV6 CIDR are accepted.",
                                          type: "string",
                                        },
                                      },
                                      required: ["cidr"],
                                      type: "object",
                                    },
                                    securityGroup: {
                                      description:
                                        "SecurityGroup defines a SecurityGroup peer.\nIf specified, none of the other fields can be set.",
                                      properties: {
                                        groupID: {
                                          description: "GroupID is the EC2 SecurityGroupID.",
                                          type: "string",
                                        },
                                      },
                                      required: ["groupID"],
                                      type: "object",
                                    },
                                  },
                                  type: "object",
                                },
                                type: "array",
                              },
                              ports: {
                                description:
                                  "List of ports which should be made accessible on the targets in TargetGroup.\nIf ports is empty or unspecified, it defaults to all ports with TCP.",
                                items: {
                                  properties: {
                                    port: {
                                      anyOf: [
                                        {
                                          type: "integer",
                                        },
                                        {
                                          type: "string",
                                        },
                                      ],
                                      description:
                                        "The port which traffic must match.\nWhen NodePort endpoints(instance TargetType) is used, this must be a numerical port.\nWhen Port endpoints(ip TargetType) is used, this can be either numerical or named port on pods.\nif port is unspecified, it defaults to all ports.",
                                      "x-kubernetes-int-or-string": true,
                                    },
                                    protocol: {
                                      description:
                                        "The protocol which traffic must match.\nIf protocol is unspecified, it defaults to TCP.",
                                      enum: ["TCP", "UDP"],
                                      type: "string",
                                    },
                                  },
                                  type: "object",
                                },
                                type: "array",
                              },
                            },
                            required: ["from", "ports"],
                            type: "object",
                          },
                          type: "array",
                        },
                      },
                      type: "object",
                    },
                    serviceRef: {
                      description: "serviceRef is a reference to a Kubernetes Service and ServicePort.",
                      properties: {
                        name: {
                          description: "Name is the name of the Service.",
                          type: "string",
                        },
                        port: {
                          anyOf: [
                            {
                              type: "integer",
                            },
                            {
                              type: "string",
                            },
                          ],
                          description: "Port is the port of the ServicePort.",
                          "x-kubernetes-int-or-string": true,
                        },
                      },
                      required: ["name", "port"],
                      type: "object",
                    },
                    targetGroupARN: {
                      description: "targetGroupARN is the Amazon Resource Name (ARN) for the TargetGroup.",
                      type: "string",
                    },
                    targetGroupName: {
                      description: "targetGroupName is the Name of the TargetGroup.",
                      type: "string",
                    },
                    targetType: {
                      description:
                        "targetType is the TargetType of TargetGroup. If unspecified, it will be automatically inferred.",
                      enum: ["instance", "ip"],
                      type: "string",
                    },
                  },
                  required: ["serviceRef"],
                  type: "object",
                },
                status: {
                  description: "TargetGroupBindingStatus defines the observed state of TargetGroupBinding",
                  properties: {
                    observedGeneration: {
                      description: "The generation observed by the TargetGroupBinding controller.",
                      format: "int64",
                      type: "integer",
                    },
                  },
                  type: "object",
                },
              },
              type: "object",
            },
          },
          served: true,
          storage: false,
          subresources: {
            status: {},
          },
        },
        {
          additionalPrinterColumns: [
            {
              description: "The Kubernetes Service's name",
              jsonPath: ".spec.serviceRef.name",
              name: "SERVICE-NAME",
              type: "string",
            },
            {
              description: "The Kubernetes Service's port",
              jsonPath: ".spec.serviceRef.port",
              name: "SERVICE-PORT",
              type: "string",
            },
            {
              description: "The AWS TargetGroup's TargetType",
              jsonPath: ".spec.targetType",
              name: "TARGET-TYPE",
              type: "string",
            },
            {
              description: "The AWS TargetGroup's Amazon Resource Name",
              jsonPath: ".spec.targetGroupARN",
              name: "ARN",
              priority: 1,
              type: "string",
            },
            {
              description: "The AWS TargetGroup's Name",
              jsonPath: ".spec.targetGroupName",
              name: "NAME",
              priority: 2,
              type: "string",
            },
            {
              jsonPath: ".metadata.creationTimestamp",
              name: "AGE",
              type: "date",
            },
          ],
          name: "v1beta1",
          schema: {
            openAPIV3Schema: {
              description: "TargetGroupBinding is the Schema for the TargetGroupBinding API",
              properties: {
                apiVersion: {
                  description:
                    "APIVersion defines the versioned schema of this representation of an object.\nServers should convert recognized schemas to the latest internal value, and\nmay reject unrecognized values.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
                  type: "string",
                },
                kind: {
                  description:
                    "Kind is a string value representing the REST resource this object represents.\nServers may infer this from the endpoint the client submits requests to.\nCannot be updated.\nIn CamelCase.\nMore info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                  type: "string",
                },
                metadata: {
                  type: "object",
                },
                spec: {
                  description: "TargetGroupBindingSpec defines the desired state of TargetGroupBinding",
                  properties: {
                    assumeRoleExternalId: {
                      description:
                        "IAM Role ARN to assume when calling AWS APIs. Needed to assume a role in another account and prevent the confused deputy problem. https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
                      type: "string",
                    },
                    iamRoleArnToAssume: {
                      description:
                        "IAM Role ARN to assume when calling AWS APIs. Useful if the target group is in a different AWS account",
                      type: "string",
                    },
                    ipAddressType: {
                      description:
                        "ipAddressType specifies whether the target group is of type IPv4 or IPv6. If unspecified, it will be automatically inferred.",
                      enum: ["ipv4", "ipv6"],
                      type: "string",
                    },
                    multiClusterTargetGroup: {
                      description:
                        "MultiClusterTargetGroup Denotes if the TargetGroup is shared among multiple clusters",
                      type: "boolean",
                    },
                    networking: {
                      description:
                        "networking defines the networking rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.",
                      properties: {
                        ingress: {
                          description:
                            "List of ingress rules to allow ELBV2 LoadBalancer to access targets in TargetGroup.",
                          items: {
                            description:
                              "NetworkingIngressRule defines a particular set of traffic that is allowed to access TargetGroup's targets.",
                            properties: {
                              from: {
                                description:
                                  "List of peers which should be able to access the targets in TargetGroup.\nAt least one NetworkingPeer should be specified.",
                                items: {
                                  description:
                                    "NetworkingPeer defines the source/destination peer for networking rules.",
                                  properties: {
                                    ipBlock: {
                                      description:
                                        "IPBlock defines an IPBlock peer.\nIf specified, none of the other fields can be set.",
                                      properties: {
                                        cidr: {
                                          description:
                                            "CIDR is the network CIDR.\nBoth IPV4 or IPV6 CIDR are accepted.",
                                          type: "string",
                                        },
                                      },
                                      required: ["cidr"],
                                      type: "object",
                                    },
                                    securityGroup: {
                                      description:
                                        "SecurityGroup defines a SecurityGroup peer.\nIf specified, none of the other fields can be set.",
                                      properties: {
                                        groupID: {
                                          description: "GroupID is the EC2 SecurityGroupID.",
                                          type: "string",
                                        },
                                      },
                                      required: ["groupID"],
                                      type: "object",
                                    },
                                  },
                                  type: "object",
                                },
                                type: "array",
                              },
                              ports: {
                                description:
                                  "List of ports which should be made accessible on the targets in TargetGroup.\nIf ports is empty or unspecified, it defaults to all ports with TCP.",
                                items: {
                                  description:
                                    "NetworkingPort defines the port and protocol for networking rules.",
                                  properties: {
                                    port: {
                                      anyOf: [
                                        {
                                          type: "integer",
                                        },
                                        {
                                          type: "string",
                                        },
                                      ],
                                      description:
                                        "The port which traffic must match.\nWhen NodePort endpoints(instance TargetType) is used, this must be a numerical port.\nWhen Port endpoints(ip TargetType) is used, this can be either numerical or named port on pods.\nif port is unspecified, it defaults to all ports.",
                                      "x-kubernetes-int-or-string": true,
                                    },
                                    protocol: {
                                      description:
                                        "The protocol which traffic must match.\nIf protocol is unspecified, it defaults to TCP.",
                                      enum: ["TCP", "UDP"],
                                      type: "string",
                                    },
                                  },
                                  type: "object",
                                },
                                type: "array",
                              },
                            },
                            required: ["from", "ports"],
                            type: "object",
                          },
                          type: "array",
                        },
                      },
                      type: "object",
                    },
                    nodeSelector: {
                      description:
                        "node selector for instance type target groups to only register certain nodes",
                      properties: {
                        matchExpressions: {
                          description:
                            "matchExpressions is a list of label selector requirements. The requirements are ANDed.",
                          items: {
                            description:
                              "A label selector requirement is a selector that contains values, a key, and an operator that\nrelates the key and values.",
                            properties: {
                              key: {
                                description: "key is the label key that the selector applies to.",
                                type: "string",
                              },
                              operator: {
                                description:
                                  "operator represents a key's relationship to a set of values.\nValid operators are In, NotIn, Exists and DoesNotExist.",
                                type: "string",
                              },
                              values: {
                                description:
                                  "values is an array of string values. If the operator is In or NotIn,\nthe values array must be non-empty. If the operator is Exists or DoesNotExist,\nthe values array must be empty. This array is replaced during a strategic\nmerge patch.",
                                items: {
                                  type: "string",
                                },
                                type: "array",
                                "x-kubernetes-list-type": "atomic",
                              },
                            },
                            required: ["key", "operator"],
                            type: "object",
                          },
                          type: "array",
                          "x-kubernetes-list-type": "atomic",
                        },
                        matchLabels: {
                          additionalProperties: {
                            type: "string",
                          },
                          description:
                            'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels\nmap is equivalent to an element of matchExpressions, whose key field is "key", the\noperator is "In", and the values array contains only "value". The requirements are ANDed.',
                          type: "object",
                        },
                      },
                      type: "object",
                      "x-kubernetes-map-type": "atomic",
                    },
                    serviceRef: {
                      description: "serviceRef is a reference to a Kubernetes Service and ServicePort.",
                      properties: {
                        name: {
                          description: "Name is the name of the Service.",
                          type: "string",
                        },
                        port: {
                          anyOf: [
                            {
                              type: "integer",
                            },
                            {
                              type: "string",
                            },
                          ],
                          description: "Port is the port of the ServicePort.",
                          "x-kubernetes-int-or-string": true,
                        },
                      },
                      required: ["name", "port"],
                      type: "object",
                    },
                    targetGroupARN: {
                      description: "targetGroupARN is the Amazon Resource Name (ARN) for the TargetGroup.",
                      type: "string",
                    },
                    targetGroupName: {
                      description: "targetGroupName is the Name of the TargetGroup.",
                      type: "string",
                    },
                    targetGroupProtocol: {
                      description:
                        "targetGroupProtocol is the Protocol of the TargetGroup. If unspecified, it will be automatically inferred.",
                      enum: ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC"],
                      type: "string",
                    },
                    targetType: {
                      description:
                        "targetType is the TargetType of TargetGroup. If unspecified, it will be automatically inferred.",
                      enum: ["instance", "ip"],
                      type: "string",
                    },
                    vpcID: {
                      description:
                        "VpcID is the VPC of the TargetGroup. If unspecified, it will be automatically inferred.",
                      type: "string",
                    },
                  },
                  required: ["serviceRef"],
                  type: "object",
                },
                status: {
                  description: "TargetGroupBindingStatus defines the observed state of TargetGroupBinding",
                  properties: {
                    conditions: {
                      description: "Conditions describe the current conditions of the TargetGroupBinding.",
                      items: {
                        description:
                          "Condition contains details for one aspect of the current state of this API Resource.",
                        properties: {
                          lastTransitionTime: {
                            description:
                              "lastTransitionTime is the last time the condition transitioned from one status to another.\nThis should be when the underlying condition changed.  If that is not known, then using the time when the API field changed is acceptable.",
                            format: "date-time",
                            type: "string",
                          },
                          message: {
                            description:
                              "message is a human readable message indicating details about the transition.\nThis may be an empty string.",
                            maxLength: 32768,
                            type: "string",
                          },
                          observedGeneration: {
                            description:
                              "observedGeneration represents the .metadata.generation that the condition was set based upon.\nFor instance, if .metadata.generation is currently 12, but the .status.conditions[x].observedGeneration is 9, the condition is out of date\nwith respect to the current state of the instance.",
                            format: "int64",
                            minimum: 0,
                            type: "integer",
                          },
                          reason: {
                            description:
                              "reason contains a programmatic identifier indicating the reason for the condition's last transition.\nProducers of specific condition types may define expected values and meanings for this field,\nand whether the values are considered a guaranteed API.\nThe value should be a CamelCase string.\nThis field may not be empty.",
                            maxLength: 1024,
                            minLength: 1,
                            pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
                            type: "string",
                          },
                          status: {
                            description: "status of the condition, one of True, False, Unknown.",
                            enum: ["True", "False", "Unknown"],
                            type: "string",
                          },
                          type: {
                            description: "type of condition in CamelCase or in foo.example.com/CamelCase.",
                            maxLength: 316,
                            pattern:
                              "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
                            type: "string",
                          },
                        },
                        required: ["lastTransitionTime", "message", "reason", "status", "type"],
                        type: "object",
                      },
                      type: "array",
                    },
                    observedGeneration: {
                      description: "The generation observed by the TargetGroupBinding controller.",
                      format: "int64",
                      type: "integer",
                    },
                  },
                  type: "object",
                },
              },
              type: "object",
            },
          },
          served: true,
          storage: true,
          subresources: {
            status: {},
          },
        },
      ],
    },
  },
];
