// The resources of one WeStore environment (deployed into its resource group by main.bicep).
param environmentName string
param location string
param tags object
param weChatAppId string
param weChatPayMchId string
param weChatPayMerchantSerialNo string
param weChatPayPlatformPublicKeyId string
param instanceMemoryMB int
param maximumInstanceCount int
param httpAlwaysReadyInstances int
param reminderTemplateId string
param shippedTemplateId string
param weComCorpId string
param officialAccountAppId string
param weComStaticEgress bool
param consoleEntraClientId string
param consoleEntraTenantId string

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var deploymentContainer = 'deployments'
// The raw WeChat Pay trade bills, archived by the daily reconciliation (WeChat Pay keeps three months).
var billsContainer = 'bills'

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Secrets live in Key Vault under these names; the app settings below only reference them.
var secrets = {
  WeChat__AppSecret: 'wechat-appsecret'
  WeChatPay__MerchantPrivateKey: 'wechatpay-merchant-private-key'
  WeChatPay__ApiV3Key: 'wechatpay-apiv3-key'
  WeChatPay__PlatformPublicKey: 'wechatpay-public-key'
  Session__SigningKeys__k1: 'session-signing-k1'
  Session__EncryptionKeys__e1: 'session-encryption-e1'
  WeChat__PushToken: 'wechat-push-token'
  WeChat__PushEncodingAesKey: 'wechat-push-aes-key'
  WeCom__ContactSecret: 'wecom-contact-secret'
  WeCom__CallbackToken: 'wecom-callback-token'
  WeCom__CallbackEncodingAesKey: 'wecom-callback-aes-key'
  OfficialAccount__AppSecret: 'official-account-appsecret'
  OfficialAccount__Token: 'official-account-token'
  OfficialAccount__EncodingAesKey: 'official-account-aes-key'
  // The key operators (and their tools) present to /api/manage/...: the app checks it itself (OperatorGate).
  Operators__Keys__default: 'operator-key'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-westore-${token}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stwestore${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
  properties: {
    publicAccess: 'None'
  }
}

resource bills 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: billsContainer
  properties: {
    publicAccess: 'None'
  }
}

// Tables and queues: the app's data and messages. Blobs: the deployment package and the host's locks.
resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.tableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.tableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.queueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.queueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource blobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.blobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-westore-${take(token, 12)}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// The app may read secrets, nothing more.
resource secretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-westore-${token}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-westore-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    // Telemetry is accepted only from Entra-authenticated senders: the app's identity.
    DisableLocalAuth: true
  }
}

resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-westore-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// WeCom refuses API calls from IPs outside the app's 「企业可信IP」 (errcode 60020, apps created from 2022-06-20), and a
// Flex Consumption app's outbound IPs are shared and change. With weComStaticEgress the app joins a VNet whose subnet
// sends everything out through a NAT gateway with one static public IP, which the operator registers with WeCom
// (https://learn.microsoft.com/azure/azure-functions/functions-how-to-use-nat-gateway,
// https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#virtual-network-integration).
resource egressIp 'Microsoft.Network/publicIPAddresses@2024-05-01' = if (weComStaticEgress) {
  name: 'pip-westore-egress-${token}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource nat 'Microsoft.Network/natGateways@2024-05-01' = if (weComStaticEgress) {
  name: 'ng-westore-${token}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: egressIp.id
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = if (weComStaticEgress) {
  name: 'vnet-westore-${token}'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.40.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.40.0.0/24'
          natGateway: {
            id: nat.id
          }
          // Flex Consumption integrates through a subnet delegated to Microsoft.App/environments.
          delegations: [
            {
              name: 'flex'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
    ]
  }
}

var appName = 'func-westore-${token}'
var consoleSignIn = !empty(consoleEntraClientId)

var baseSettings = {
  // Only with the platform's sign-in on does the app trust X-MS-CLIENT-PRINCIPAL (App Service strips any a client sends).
  Operators__PlatformAuth: consoleSignIn ? 'true' : 'false'
  // Storage through the identity, read by the host and by the app alike (StorageConnection).
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identity.properties.clientId}'
  WeChat__AppId: weChatAppId
  WeChatPay__MchId: weChatPayMchId
  WeChatPay__MerchantSerialNo: weChatPayMerchantSerialNo
  WeChatPay__PlatformPublicKeyId: weChatPayPlatformPublicKeyId
  WeChatPay__NotifyUrl: 'https://${appName}.azurewebsites.net/api/pay/notify'
  WeChatPay__RefundNotifyUrl: 'https://${appName}.azurewebsites.net/api/pay/refund-notify'
  Session__ActiveSigningKeyId: 'k1'
  Session__ActiveEncryptionKeyId: 'e1'
  // NCRONTAB in UTC (Linux plans have no WEBSITE_TIME_ZONE): 18:00 UTC is 02:00 in Shanghai, which keeps no DST.
  Loyalty__ExpirySchedule: '0 0 18 * * *'
  Payments__SweepSchedule: '0 */5 * * * *'
  WeChat__TokenRefreshSchedule: '0 */5 * * * *'
  Loyalty__ReminderTemplateId: reminderTemplateId
  Fulfilment__Schedule: '0 5 * * * *'
  Fulfilment__ShippedTemplateId: shippedTemplateId
  // 10:30 in Shanghai: WeChat Pay makes yesterday's bill from 9:00.
  Reconciliation__Schedule: '0 30 2 * * *'
  Segments__DueSchedule: '0 10 16 * * *'
  WeCom__CorpId: weComCorpId
  OfficialAccount__AppId: officialAccountAppId
}
var secretSettings = toObject(items(secrets), s => s.key, s => '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${s.value})')

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, {
    'azd-service-name': 'api'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: weComStaticEgress ? '${vnet.id}/subnets/app' : null
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: httpAlwaysReadyInstances == 0 ? [] : [
          {
            name: 'http'
            instanceCount: httpAlwaysReadyInstances
          }
        ]
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
  dependsOn: [
    tableRole
    queueRole
    blobRole
    secretsRole
    insightsRole
  ]
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(baseSettings, secretSettings)
}

// The console's sign-in: App Service authentication with Entra ID. Unauthenticated requests are let through (WeChat's
// callbacks, the Mini Program and key-holding tools never sign in); the app decides per route (OperatorGate), and a
// signed-in operator's app roles (operator, fulfilment, marketing, finance; see infra/azure/console-app-roles.json) are
// in the principal App Service hands it. https://learn.microsoft.com/azure/app-service/configure-authentication-provider-aad
resource consoleAuth 'Microsoft.Web/sites/config@2024-04-01' = if (consoleSignIn) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: consoleEntraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${consoleEntraTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${consoleEntraClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
  }
}

output functionAppName string = app.name
output keyVaultName string = vault.name
output notifyUrl string = 'https://${app.properties.defaultHostName}/api/pay/notify'
output refundNotifyUrl string = 'https://${app.properties.defaultHostName}/api/pay/refund-notify'
output weComCallbackUrl string = 'https://${app.properties.defaultHostName}/api/wecom/callback'
output consoleUrl string = 'https://${app.properties.defaultHostName}/api/manage/console/'
output egressIp string = weComStaticEgress ? egressIp!.properties.ipAddress : ''
