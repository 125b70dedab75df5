// WeStore on Azure: one resource group holding the storage account, the Flex Consumption function app, its
// user-assigned identity, the Key Vault for WeChat secrets, and Log Analytics + Application Insights.
// Deploy with `azd up` (azure.yaml at the repository root). Secrets are never parameters: they are set in the Key
// Vault after provisioning (README, "Deploy to Azure"), and the app reads them through Key Vault references.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('The azd environment name; names and tags derive from it.')
param environmentName string

@minLength(1)
@description('The Azure region for every resource.')
param location string

@description('The Mini Program AppID (not secret).')
param weChatAppId string

@description('The WeChat Pay merchant id (not secret).')
param weChatPayMchId string

@description('The serial number of the merchant API certificate (not secret).')
param weChatPayMerchantSerialNo string

@description('The WeChat Pay public key id, PUB_KEY_ID_... (not secret).')
param weChatPayPlatformPublicKeyId string

@description('Memory per instance, in MB (Flex Consumption: 512, 2048 or 4096).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('The most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Always-ready instances for the HTTP functions (0: scale from zero).')
@minValue(0)
@maxValue(20)
param httpAlwaysReadyInstances int = 1

@description('The subscription-message template for the points reminder (empty: no reminders).')
param reminderTemplateId string = ''

@description('The subscription-message template for the shipped notice (empty: no notice).')
param shippedTemplateId string = ''

@description('The WeCom corp id (empty: no WeCom).')
param weComCorpId string = ''

@description('Send the app\'s outbound traffic through a NAT gateway with one static public IP, to register in the WeCom app\'s 企业可信IP (WeCom refuses other IPs with 60020).')
param weComStaticEgress bool = false

@description('The Official Account (service account) appid (empty: no Official Account).')
param officialAccountAppId string = ''

@description('The Entra ID app registration (client id) operators sign in to the console with; empty: no sign-in, operator keys only.')
param consoleEntraClientId string = ''

@description('The Entra ID tenant of that registration.')
param consoleEntraTenantId string = tenant().tenantId

var tags = {
  'azd-env-name': environmentName
  app: 'westore'
}

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'westore-resources'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    weChatAppId: weChatAppId
    weChatPayMchId: weChatPayMchId
    weChatPayMerchantSerialNo: weChatPayMerchantSerialNo
    weChatPayPlatformPublicKeyId: weChatPayPlatformPublicKeyId
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpAlwaysReadyInstances: httpAlwaysReadyInstances
    reminderTemplateId: reminderTemplateId
    shippedTemplateId: shippedTemplateId
    weComCorpId: weComCorpId
    weComStaticEgress: weComStaticEgress
    officialAccountAppId: officialAccountAppId
    consoleEntraClientId: consoleEntraClientId
    consoleEntraTenantId: consoleEntraTenantId
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output WECHAT_PAY_NOTIFY_URL string = resources.outputs.notifyUrl
output WECHAT_PAY_REFUND_NOTIFY_URL string = resources.outputs.refundNotifyUrl
output WECOM_CALLBACK_URL string = resources.outputs.weComCallbackUrl
output WECOM_EGRESS_IP string = resources.outputs.egressIp
output CONSOLE_URL string = resources.outputs.consoleUrl
